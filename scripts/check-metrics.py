#!/usr/bin/env python3
"""Reads /-/metrics of a running pbmonitor with prometheus_client's own parser (issue 20) and checks what an operator
relies on: the families exist, every route label is a route pattern (no raw addresses: a scan cannot grow the label
set), no request ended in a server error, and the store's import durations and connection waits are there.

usage: check-metrics.py BASE_URL [TOKEN]"""
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

base = sys.argv[1].rstrip("/")
request = urllib.request.Request(base + "/-/metrics")
if len(sys.argv) > 2:
    request.add_header("Authorization", "Bearer " + sys.argv[2])
with urllib.request.urlopen(request, timeout=10) as response:
    content_type = response.headers.get("Content-Type", "")
    text = response.read().decode("utf-8")
assert content_type.startswith("text/plain; version=0.0.4"), content_type

families = {family.name: family for family in text_string_to_metric_families(text)}
wanted = {
    "pbmonitor_http_requests": "counter",
    "pbmonitor_http_request_duration_seconds": "histogram",
    "pbmonitor_response_cache_requests": "counter",
    "pbmonitor_response_cache_bytes": "gauge",
    "pbmonitor_response_cache_entries": "gauge",
    "pbmonitor_data_generation": "gauge",
    "pbmonitor_db_connection_wait_seconds": "histogram",
    "pbmonitor_import_duration_seconds": "histogram",
    "process_resident_memory_bytes": "gauge",
}
problems = []
for name, kind in wanted.items():
    if name not in families:
        problems.append(f"ontbreekt: {name}")
    elif families[name].type != kind:
        problems.append(f"{name} is {families[name].type}, verwacht {kind}")

requests = families.get("pbmonitor_http_requests")
routes, total, server_errors = set(), 0, []
if requests:
    for sample in requests.samples:
        if not sample.name.endswith("_total"):
            continue
        route = sample.labels.get("route", "")
        routes.add(route)
        total += sample.value
        if sample.labels.get("status", "").startswith("5"):
            server_errors.append((route, sample.labels["status"], sample.value))
        if route != "unmatched" and not route.startswith("/"):
            problems.append(f"route-label is geen patroon: {route}")
        if any(part.startswith(("GM", "WK", "BU")) and part[2:].isdigit() for part in route.split("/")):
            problems.append(f"route-label bevat een gebiedscode in plaats van het patroon: {route}")
if server_errors:
    problems.append(f"serverfouten: {server_errors}")
if total == 0:
    problems.append("geen verzoeken geteld")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"/-/metrics: {len(families)} families, {total:.0f} verzoeken op {len(routes)} routepatronen, geen serverfouten")
