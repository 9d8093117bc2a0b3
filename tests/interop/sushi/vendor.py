#!/usr/bin/env python3
"""A vendor's COUNTER API 5.1 for the hub to harvest: `/r51/reports/pr` only, with an
answer chosen by customer_id, each as COUNTER API 5.1 describes it:

- `ok`: the month's Platform Report (12 Unique_Item_Requests);
- `queued`: first HTTP 202 with exception 1011, then the report;
- `busy`: first HTTP 429 with exception 1020 and `Retry-After: 1`, then the report;
- `notready`: first the report header with exception 3031 and no items, then the report;
- `empty`: the report header with exception 3030, always.

The api_key must be `vendor-key` (else HTTP 401, exception 2020). Prints `PORT n` once it
listens, then `ASKED customer_id begin_date end_date` per request.
"""
import calendar
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

KEY = "vendor-key"
asked = {}


def header(customer, month, exceptions=None):
    year, number = (int(x) for x in month.split("-"))
    last = calendar.monthrange(year, number)[1]
    h = {
        "Report_Name": "Platform Report",
        "Report_ID": "PR",
        "Release": "5.1",
        "Institution_Name": f"Customer {customer}",
        "Institution_ID": {"Proprietary": [f"nordlys:{customer}"]},
        "Report_Filters": {"Begin_Date": f"{month}-01", "End_Date": f"{month}-{last:02d}"},
        "Created": "2026-11-02T08:00:00Z",
        "Created_By": "Nordlys Forlag (test vendor)",
        "Registry_Record": "",
    }
    if exceptions:
        h["Exceptions"] = exceptions
    return h


def report(customer, month):
    counts = {"Total_Item_Requests": {month: 20}, "Unique_Item_Requests": {month: 12}}
    item = {
        "Platform": "Nordlys",
        "Attribute_Performance": [{"Data_Type": "Book", "Performance": counts}],
    }
    return {"Report_Header": header(customer, month), "Report_Items": [item]}


def exception(code, message, data):
    return {"Code": code, "Message": message, "Data": data}


class Vendor(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, extra=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        customer = query.get("customer_id", "")
        month = query.get("begin_date", "")[:7]
        print(f"ASKED {customer} {query.get('begin_date')} {query.get('end_date')}", flush=True)
        if url.path != "/r51/reports/pr":
            return self.answer(404, exception(3000, "Report Not Supported", url.path))
        if query.get("api_key") != KEY:
            return self.answer(401, exception(2020, "APIKey Invalid", "unknown api_key"))
        times = asked[customer] = asked.get(customer, 0) + 1
        first = times == 1
        if customer == "queued" and first:
            return self.answer(202, exception(1011, "Report Queued for Processing", "try later"))
        if customer == "busy" and first:
            too_many = exception(1020, "Client has made too many requests", "slow down")
            return self.answer(429, too_many, {"Retry-After": "1"})
        if customer == "notready" and first:
            late = [exception(3031, "Usage Not Ready for Requested Dates", month)]
            return self.answer(200, {"Report_Header": header(customer, month, late), "Report_Items": []})
        if customer == "empty":
            none = [exception(3030, "No Usage Available for Requested Dates", month)]
            return self.answer(200, {"Report_Header": header(customer, month, none), "Report_Items": []})
        return self.answer(200, report(customer, month))


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Vendor)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)
