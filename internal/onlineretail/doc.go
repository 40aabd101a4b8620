// Package onlineretail ships the demo's data: the UCI Online Retail transactions, one CSV per trading day
// (2010-12-01..2011-12-09, 305 files, 541,909 rows), as a zstd-compressed tar archive embedded in the binary.
//
// Credit: Daqing Chen, Sai Liang Sain and Kun Guo, "Data mining for the online retail industry: A case study of
// RFM model-based customer segmentation using data mining", Journal of Database Marketing and Customer Strategy
// Management 19(3), 2012; UCI Machine Learning Repository, https://doi.org/10.24432/C5BW33, licensed under
// CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). The files are the original rows split by invoice
// day; see LICENSE.md beside the archive.
//
// The archive is rebuilt from a directory of day files with
//
//	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2011-12-10 00:00Z' -cf - *.csv | zstd -19 --long=23 -o online-retail.tar.zst
package onlineretail
