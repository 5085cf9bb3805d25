// Package dashboards holds dts_exporter's Grafana dashboards (*.json) and
// Prometheus alert rules (alerts.yaml, with promtool unit tests in
// alerts_test.yaml and runbooks in runbook.md). Its Go tests prove them
// against the exporter: every query parses and names only metrics a full
// scrape of the demo serves, and an end-to-end run with a real Prometheus
// and Alertmanager delivers the expected alerts.
package dashboards
