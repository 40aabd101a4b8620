// Package synth generates synthetic source data in the Online Retail CSV format, for scale tests, benchmarks
// and demos of `pltv generate`.
//
// The output mirrors the UCI Online Retail files under shared/data/online-retail/by-day/: one CSV per trading
// day named YYYY-MM-DD.csv with the header
//
//	InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
//
// and the same quirks (guest orders without CustomerID, "C" cancellations with negative quantities, stock
// adjustments at price zero, postage lines, quoted descriptions). Its shapes — lines per invoice, prices,
// quantities, countries, hours, weekdays — were measured on the real files.
//
// Registered customers follow a BG/NBD-like process so that a lifetime-value model has something to learn:
// each has a latent engagement that drives a Gamma-distributed purchase rate, a Beta-distributed dropout
// probability, a lognormal spend level (and so the size of the first basket), a preferred hour and a
// country. The value a customer spends after the first purchase is thus predictable in part from the first
// basket, and noisy.
//
// Generation streams: it keeps only a compact schedule of pending events per day (customer, purchase
// number), derives every random draw from (seed, customer, purchase) so that nothing else needs storing,
// and writes each day through a buffered writer. The same seed gives the same bytes.
package synth
