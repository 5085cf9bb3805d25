package dashboards

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dts-exporter/dts_exporter/internal/testutil"
)

// TestDashboardShape checks what Grafana 10+ needs to import a dashboard and
// what users need to use it: the variables, a data source on every panel, a
// unit on every numeric panel, and a query on every panel.
func TestDashboardShape(t *testing.T) {
	uids := map[string]bool{}
	for _, d := range loadDashboards(t) {
		uid, _ := d.raw["uid"].(string)
		if uid == "" || uids[uid] {
			t.Errorf("%s: uid %q is empty or not unique", d.path, uid)
		}
		uids[uid] = true
		if title, _ := d.raw["title"].(string); title == "" {
			t.Errorf("%s: no title", d.path)
		}
		if v, _ := d.raw["schemaVersion"].(float64); v < 36 {
			t.Errorf("%s: schemaVersion %v is older than Grafana 10's", d.path, v)
		}
		tmpl, _ := d.raw["templating"].(map[string]any)
		vars, _ := tmpl["list"].([]any)
		var names []string
		for _, it := range vars {
			v, _ := it.(map[string]any)
			name, _ := v["name"].(string)
			names = append(names, name)
			if name == "datasource" && (v["type"] != "datasource" || v["query"] != "prometheus") {
				t.Errorf("%s: the datasource variable must be a prometheus data source variable", d.path)
			}
		}
		for _, want := range []string{"datasource", "account", "region", "kind", "job"} {
			if !slices.Contains(names, want) {
				t.Errorf("%s: no %q variable (have %v)", d.path, want, names)
			}
		}
		ids := map[float64]bool{}
		for _, p := range panels(d.raw) {
			title, _ := p["title"].(string)
			id, _ := p["id"].(float64)
			if ids[id] {
				t.Errorf("%s: panel id %v is used twice", d.path, id)
			}
			ids[id] = true
			if p["type"] == "row" {
				continue
			}
			if ds, _ := p["datasource"].(map[string]any); ds["uid"] != "${datasource}" {
				t.Errorf("%s panel %q: data source %v, want ${datasource}", d.path, title, p["datasource"])
			}
			targets, _ := p["targets"].([]any)
			if len(targets) == 0 {
				t.Errorf("%s panel %q has no query", d.path, title)
			}
			for _, it := range targets {
				tg, _ := it.(map[string]any)
				if expr, _ := tg["expr"].(string); strings.TrimSpace(expr) == "" {
					t.Errorf("%s panel %q: empty query", d.path, title)
				}
			}
			switch p["type"] {
			case "timeseries", "gauge", "bargauge":
				fc, _ := p["fieldConfig"].(map[string]any)
				def, _ := fc["defaults"].(map[string]any)
				if unit, _ := def["unit"].(string); unit == "" {
					t.Errorf("%s panel %q: no unit", d.path, title)
				}
			}
			if gp, _ := p["gridPos"].(map[string]any); gp["w"] == nil || gp["h"] == nil {
				t.Errorf("%s panel %q: no gridPos", d.path, title)
			}
		}
	}
}

// TestQueriesNameOnlyExposedMetrics parses every dashboard query and every
// rule expression and checks each metric name against a full scrape of the
// exporter's demo (not a hand-kept list).
func TestQueriesNameOnlyExposedMetrics(t *testing.T) {
	bin := exporterBinary(t)
	addr := testutil.FreeAddr(t)
	startProcess(t, bin, "--demo", "--web.listen-address="+addr)
	waitHTTP(t, "http://"+addr+"/-/healthy", 30*time.Second)
	exposed := exposedNames(t, "http://"+addr+"/metrics")
	for _, want := range []string{"dts_up", "dts_job_phase", "dts_check_passed"} {
		if !exposed[want] {
			t.Fatalf("the demo scrape lacks %s: %v", want, exposed)
		}
	}

	rules, recorded := ruleQueries(t)
	queries := append(dashboardQueries(t), rules...)
	if len(queries) < 30 {
		t.Fatalf("found only %d queries: the dashboards or rules were not read", len(queries))
	}
	used := map[string]bool{}
	for _, q := range queries {
		names, err := metricNames(substitute(q.expr))
		if err != nil {
			t.Errorf("%s: %q does not parse: %v", q.where, q.expr, err)
			continue
		}
		if len(names) == 0 && !strings.HasPrefix(q.expr, "vector(") { // thresholds are constants
			t.Errorf("%s: %q selects no metric", q.where, q.expr)
		}
		for _, n := range names {
			used[n] = true
			if !exposed[n] && !recorded[n] {
				t.Errorf("%s: %s is not a metric the exporter exposes", q.where, n)
			}
		}
	}
	// The dashboards must cover the job metrics a user looks for.
	for _, want := range []string{"dts_job_phase", "dts_job_status", "dts_job_delay_seconds", "dts_job_lag_bytes",
		"dts_job_progress_ratio", "dts_job_step_status", "dts_check_step_status", "dts_check_passed", "dts_up",
		"dts_exporter_api_errors_total"} {
		if !used[want] {
			t.Errorf("no dashboard query or rule uses %s", want)
		}
	}
}

// TestEveryAlertHasARunbook: each alert has severity, summary, description
// and a runbook_url whose anchor is a heading of runbook.md.
func TestEveryAlertHasARunbook(t *testing.T) {
	runbook, err := os.ReadFile("runbook.md")
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^##+ (.+)$`).FindAllStringSubmatch(string(runbook), -1) {
		a := strings.ToLower(strings.TrimSpace(m[1]))
		a = regexp.MustCompile(`[^a-z0-9 _-]`).ReplaceAllString(a, "")
		anchors[strings.ReplaceAll(a, " ", "-")] = true
	}
	tests, err := os.ReadFile("alerts_test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	alerts := 0
	for _, g := range loadRules(t, "alerts.yaml").Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			alerts++
			if r.Labels["severity"] != "critical" && r.Labels["severity"] != "warning" {
				t.Errorf("%s: severity %q, want critical or warning", r.Alert, r.Labels["severity"])
			}
			for _, a := range []string{"summary", "description", "runbook_url"} {
				if r.Annotations[a] == "" {
					t.Errorf("%s: no %s annotation", r.Alert, a)
				}
			}
			_, anchor, ok := strings.Cut(r.Annotations["runbook_url"], "runbook.md#")
			if !ok || !anchors[anchor] {
				t.Errorf("%s: runbook_url %q has no matching heading in runbook.md", r.Alert, r.Annotations["runbook_url"])
			}
			// promtool runs the cases; here we check that both kinds exist.
			firing := regexp.MustCompile(`(?s)alertname: ` + r.Alert + `\n\s+exp_alerts:\n\s+- exp_labels`)
			quiet := regexp.MustCompile(`alertname: ` + r.Alert + `\n\s+exp_alerts: \[\]`)
			if !firing.Match(tests) || !quiet.Match(tests) {
				t.Errorf("%s: alerts_test.yaml needs a firing and a non-firing case", r.Alert)
			}
		}
	}
	if alerts < 10 {
		t.Errorf("only %d alerts found", alerts)
	}
}
