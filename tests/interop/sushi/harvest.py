#!/usr/bin/env python3
"""Harvests the hub's COUNTER API with celus-nigiri, a SUSHI client we did not write.

usage: harvest.py BASE_URL REQUESTOR_ID API_KEY BEGIN END

BASE_URL is where `/r51` lives (the hub's `/sushi`). Asks /status, /members (with the
requestor's own id as customer, meaning every library the credential covers), then for each
member /reports and the PR (through nigiri's own reader and validation) and PR_P1. Prints one
line per finding; exits non-zero on any exception or malformed answer.
"""
import io
import sys
from datetime import date

from celus_nigiri.client import Sushi51Client
from celus_nigiri.counter5 import TransportError
from celus_nigiri.counter51 import Counter51PRReport


def fail(message):
    print(f"FAIL {message}", flush=True)
    sys.exit(1)


def checked(report, report_id):
    if report.http_status_code != 200:
        fail(f"{report_id}: HTTP {report.http_status_code}")
    if report.queued:
        fail(f"{report_id}: queued")
    if any(isinstance(e, TransportError) for e in report.errors):
        fail(f"{report_id}: {report.errors[0]}")
    Sushi51Client.validate_data(report.errors, report.warnings)
    if report.warnings or report.infos:
        fail(f"{report_id}: {[str(x) for x in report.warnings + report.infos]}")
    if report.header.get("Release") != "5.1" or report.header.get("Report_ID") != report_id:
        fail(f"{report_id}: header {report.header}")


def records(report, buffer):
    header, items = report.fd_to_dicts(buffer)
    return list(report.read_report(header, items))


def listing(client, root, endpoint, customer):
    params = client._construct_url_params()
    params["customer_id"] = customer
    response = client._make_request(f"{root}/{endpoint}", params)
    if response.status_code != 200:
        fail(f"/{endpoint}: HTTP {response.status_code} {response.text}")
    data = response.json()
    if not isinstance(data, list) or Sushi51Client.extract_errors_from_data(data):
        fail(f"/{endpoint}: {data}")
    return data


def month(text):
    year, number = text.split("-")
    return date(int(year), int(number), 1)


def main(base, requestor, key, begin, end):
    root = base.rstrip("/") + "/r51"
    everyone = Sushi51Client(base, requestor, requestor_id=requestor, extra_params={"api_key": key})
    status = everyone._make_request(f"{root}/status", {}).json()
    if not status[0].get("Service_Active"):
        fail(f"/status: {status}")
    print("STATUS active", flush=True)
    for member in listing(everyone, root, "members", requestor):
        isil = member["Customer_ID"]
        print(f"MEMBER {isil} {member['Institution_ID']['ISIL'][0]}", flush=True)
        client = Sushi51Client(base, isil, requestor_id=requestor, extra_params={"api_key": key})
        offered = [r["Report_ID"] for r in listing(client, root, "reports", isil)]
        print(f"REPORTS {isil} {' '.join(offered)}", flush=True)

        buffer = io.BytesIO()
        report = client.get_report_data("pr", month(begin), month(end), output_content=buffer)
        checked(report, "PR")
        found = records(report, buffer)
        uir = sum(r.value for r in found if r.metric == "Unique_Item_Requests")
        print(f"PR {isil} records={len(found)} unique_item_requests={uir}", flush=True)

        buffer = io.BytesIO()
        response = client.fetch_report_data(
            "pr_p1", month(begin), month(end), dump_file=buffer, params={}, long_date_format=False
        )
        report = Counter51PRReport(buffer, http_status_code=response.status_code, url=response.url)
        checked(report, "PR_P1")
        found = records(report, buffer)
        uir = sum(r.value for r in found if r.metric == "Unique_Item_Requests")
        print(f"PR_P1 {isil} records={len(found)} unique_item_requests={uir}", flush=True)


if __name__ == "__main__":
    try:
        main(*sys.argv[1:6])
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001 - any failure of the client is the test's failure
        fail(f"{type(e).__name__}: {e}")
