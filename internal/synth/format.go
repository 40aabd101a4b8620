package synth

import (
	"strconv"
	"time"
)

// header is the first line of every day file, as in the real data.
const header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"

// firstInvoice is the number of the first invoice, as in the real data.
const firstInvoice = 536365

// customerIDBase is added to a customer's number to make its CustomerID, as the real ones start at 12346.
const customerIDBase = 12346

// stamp formats an InvoiceDate ("2010-12-01 08:26:00") for a minute of a day.
func stamp(dst []byte, day time.Time, minute int) []byte {
	dst = day.AppendFormat(dst[:0], "2006-01-02 ")
	h, m := minute/60, minute%60
	return append(dst, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':', '0', '0')
}

// appendPrice formats pence as the real files do (Python's float repr): 2.55, 2.1, 18.0, 0.0.
func appendPrice(b []byte, pence int) []byte {
	b = strconv.AppendInt(b, int64(pence/100), 10)
	b = append(b, '.')
	switch c := pence % 100; {
	case c%10 == 0:
		return append(b, byte('0'+c/10))
	default:
		return append(b, byte('0'+c/10), byte('0'+c%10))
	}
}

// appendCustomer formats a CustomerID as the float the real files carry ("17850.0"); guests (id < 0) leave
// the field empty.
func appendCustomer(b []byte, id int64) []byte {
	if id < 0 {
		return b
	}
	b = strconv.AppendInt(b, id, 10)
	return append(b, '.', '0')
}

// appendLine formats one CSV line.
func appendLine(b []byte, cancel bool, invoice int, l *line, date []byte, customer int64, country string) []byte {
	if cancel {
		b = append(b, 'C')
	}
	b = strconv.AppendInt(b, int64(invoice), 10)
	b = append(b, ',')
	b = append(b, l.code...)
	b = append(b, ',')
	b = append(b, l.desc...)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(l.qty), 10)
	b = append(b, ',')
	b = append(b, date...)
	b = append(b, ',')
	b = appendPrice(b, l.pence)
	b = append(b, ',')
	b = appendCustomer(b, customer)
	b = append(b, ',')
	b = append(b, country...)
	return append(b, '\n')
}
