# Parses OpenMetrics text from stdin with prometheus_client's strict OpenMetrics parser (Debian
# python3-prometheus-client) and prints one line per family and per sample, so that the Java test can compare.
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families

for family in text_string_to_metric_families(sys.stdin.read()):
    print("family %s %s %s" % (family.name, family.type, family.unit or "-"))
    for s in family.samples:
        labels = ",".join("%s=%s" % (k, v) for k, v in sorted(s.labels.items()))
        print("sample %s {%s} %r" % (s.name, labels, s.value))
