package dashboards

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/dts-exporter/dts_exporter/internal/simulator"
	"github.com/dts-exporter/dts_exporter/internal/testutil"
)

// The end-to-end scenario: six sync jobs in one region. Jobs 0 and 5 are
// healthy (0 in full load, 5 in incremental sync); 1 has failed, 2 is
// paused, 3 failed its pre-check and 4 falls further behind every second.
var e2eStatuses = []string{"Running", "Failed", "Paused", "CheckNotPass", "Running", "Running"}

const e2eRegion = "ap-guangzhou"

// The Alibaba side of the scenario, in another account: a healthy job, a
// failed one, one loading its data (spelled as the zh documentation spells
// it) and one whose pre-check failed.
var e2eAliStatuses = []string{"Synchronizing", "Failed", "initializating", "PrecheckFailed"}

const (
	e2eAliRegion  = "cn-hangzhou"
	e2eAliAccount = "e2e-ali"
)

// notFromAlibaba are the dashboard queries that cannot find Alibaba jobs:
// its API reports no lag in bytes.
var notFromAlibaba = []string{"dts_job_lag_bytes"}

// webhook collects what Alertmanager sends.
type webhook struct {
	mu     sync.Mutex
	alerts map[[2]string]map[string]string // (alertname, job_id) -> labels
}

func (w *webhook) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	var msg struct {
		Alerts []struct {
			Status      string            `json:"status"`
			Labels      map[string]string `json:"labels"`
			Annotations map[string]string `json:"annotations"`
		} `json:"alerts"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		http.Error(rw, err.Error(), http.StatusBadRequest)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, a := range msg.Alerts {
		if a.Status == "firing" {
			labels := a.Labels
			for k, v := range a.Annotations {
				labels["annotation_"+k] = v
			}
			w.alerts[[2]string{a.Labels["alertname"], a.Labels["job_id"]}] = labels
		}
	}
}

func (w *webhook) snapshot() map[[2]string]map[string]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[[2]string]map[string]string, len(w.alerts))
	for k, v := range w.alerts {
		out[k] = v
	}
	return out
}

// e2eRules rewrites alerts.yaml for a run of a minute: `for:` durations
// become 0s (but DTSExporterAbsent's, which would fire before the first
// scrape) and the thresholds drop to what the scenario reaches.
func e2eRules(t *testing.T, dir string) string {
	t.Helper()
	raw, err := os.ReadFile("alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Groups []struct {
			Name  string           `yaml:"name"`
			Rules []map[string]any `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	thresholds := map[string]string{
		"dts:threshold:delay_seconds":   "vector(60)",
		"dts:threshold:lag_bytes":       "vector(1048576)",
		"dts:threshold:throttled_calls": "vector(5)",
	}
	for _, g := range doc.Groups {
		for _, r := range g.Rules {
			if rec, ok := r["record"].(string); ok {
				expr, known := thresholds[rec]
				if !known {
					t.Fatalf("unknown recording rule %s: add it to the e2e thresholds", rec)
				}
				r["expr"] = expr
			}
			if _, ok := r["for"]; ok && r["alert"] != "DTSExporterAbsent" {
				r["for"] = "0s"
			}
		}
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "alerts.yaml")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// promQuery runs an instant query on Prometheus and returns its series.
func promQuery(t *testing.T, base, expr string) ([]map[string]string, error) {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(expr))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	if out.Status != "success" {
		return nil, fmt.Errorf("%s", out.Error)
	}
	var series []map[string]string
	for _, r := range out.Data.Result {
		series = append(series, r.Metric)
	}
	return series, nil
}

// TestAlertsAndDashboardsEndToEnd runs the simulator, the real exporter
// binary, a real Prometheus evaluating alerts.yaml and a real Alertmanager
// whose webhook receiver is this test: the expected alerts arrive, the
// healthy jobs raise none, and every dashboard query returns data.
func TestAlertsAndDashboardsEndToEnd(t *testing.T) {
	prometheus := requireTool(t, "PROMETHEUS")
	alertmanager := requireTool(t, "ALERTMANAGER")
	bin := exporterBinary(t)
	dir := t.TempDir()

	const id, key = "AKIDe2e", "e2e-dashboards-secret"
	sim := simulator.New(simulator.Options{
		Credentials: map[string]string{id: key},
		Scenario: simulator.Scenario{
			TencentSyncJobs:   map[string]int{e2eRegion: len(e2eStatuses)},
			SyncStatus:        func(_ string, i int) string { return e2eStatuses[i] },
			AlibabaSyncJobs:   map[string]int{e2eAliRegion: len(e2eAliStatuses)},
			AlibabaSyncStatus: func(_ string, i int) string { return e2eAliStatuses[i] },
		},
	})
	simURL, stopSim, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stopSim() })
	jobs := sim.TencentSyncJobs(e2eRegion)
	jobID := func(i int) string { return *jobs[i].JobId }
	aliJobs := sim.AlibabaSyncJobs(e2eAliRegion)
	aliJobID := func(i int) string { return aliJobs[i].SynchronizationJobId }

	hook := &webhook{alerts: map[[2]string]map[string]string{}}
	hookSrv := httptest.NewServer(hook)
	t.Cleanup(hookSrv.Close)

	exporterAddr := testutil.FreeAddr(t)
	cfg := writeFile(t, filepath.Join(dir, "dts_exporter.yml"), fmt.Sprintf(`accounts:
  - name: e2e
    provider: tencent
    regions: [%s]
    endpoint: %s
    credentials: {secret_id: %s, secret_key: %s}
  - name: %s
    provider: alibaba
    regions: [%s]
    endpoint: %s
    credentials: {access_key_id: %s, access_key_secret: %s}
`, e2eRegion, simURL, id, key, e2eAliAccount, e2eAliRegion, simURL, id, key))
	startProcess(t, bin, "--config.file="+cfg, "--web.listen-address="+exporterAddr)
	waitHTTP(t, "http://"+exporterAddr+"/-/healthy", 30*time.Second)

	amAddr := testutil.FreeAddr(t)
	amCfg := writeFile(t, filepath.Join(dir, "alertmanager.yml"), fmt.Sprintf(`route:
  receiver: test
  group_by: [alertname, job_id]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: test
    webhook_configs:
      - url: %s
        send_resolved: true
`, hookSrv.URL))
	startProcess(t, alertmanager, "--config.file="+amCfg, "--storage.path="+filepath.Join(dir, "am"),
		"--web.listen-address="+amAddr, "--cluster.listen-address=")

	promAddr := testutil.FreeAddr(t)
	rules := e2eRules(t, dir)
	promCfg := writeFile(t, filepath.Join(dir, "prometheus.yml"), fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: [%s]
alerting:
  alertmanagers:
    - static_configs:
        - targets: [%s]
scrape_configs:
  - job_name: dts_exporter
    static_configs:
      - targets: [%s]
`, rules, amAddr, exporterAddr))
	startProcess(t, prometheus, "--config.file="+promCfg, "--storage.tsdb.path="+filepath.Join(dir, "prom"),
		"--web.listen-address="+promAddr)
	waitHTTP(t, "http://"+amAddr+"/-/ready", 60*time.Second)
	promBase := "http://" + promAddr
	waitHTTP(t, promBase+"/-/ready", 60*time.Second)

	want := [][2]string{
		{"DTSJobFailed", jobID(1)},
		{"DTSJobPausedTooLong", jobID(2)},
		{"DTSPreCheckFailed", jobID(3)},
		{"DTSJobDelayHigh", jobID(4)},
		{"DTSJobLagBytesHigh", jobID(4)},
		{"DTSJobFailed", aliJobID(1)},
		{"DTSPreCheckFailed", aliJobID(3)},
	}
	deadline := time.Now().Add(2 * time.Minute)
	var got map[[2]string]map[string]string
	for {
		got = hook.snapshot()
		missing := slices.DeleteFunc(slices.Clone(want), func(k [2]string) bool { _, ok := got[k]; return ok })
		if len(missing) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("alerts missing after 2 minutes: %v\nreceived: %v", missing, keys(got))
		}
		time.Sleep(time.Second)
	}
	for k, labels := range got {
		if k[1] == jobID(0) || k[1] == jobID(5) || k[1] == aliJobID(0) || k[1] == aliJobID(2) {
			t.Errorf("healthy job %s raised %s", k[1], k[0])
		}
		switch k[0] {
		case "DTSTargetDown", "DTSAPIAuthErrors", "DTSAPIThrottled", "DTSExporterAbsent":
			t.Errorf("a healthy exporter raised %s: %v", k[0], labels)
		}
		if labels["severity"] == "" || labels["annotation_runbook_url"] == "" || !strings.Contains(labels["annotation_description"], labels["job_id"]) {
			t.Errorf("%s: labels or annotations incomplete: %v", k[0], labels)
		}
	}
	if s := got[[2]string{"DTSJobFailed", jobID(1)}]["status"]; s != "Failed" {
		t.Errorf("DTSJobFailed status label = %q, want Failed", s)
	}

	// Every dashboard query returns data from this Prometheus. The
	// variables match every value, so a query is empty only if no job has
	// its data.
	for _, q := range dashboardQueries(t) {
		series, err := promQuery(t, promBase, substitute(q.expr))
		if err != nil {
			t.Errorf("%s: %v", q.where, err)
			continue
		}
		if len(series) == 0 {
			t.Errorf("%s: %q returns no data", q.where, substitute(q.expr))
		}
	}
	// The same queries, for the Alibaba account alone, find its jobs.
	for _, q := range dashboardQueries(t) {
		if !strings.Contains(q.expr, "$account") || slices.ContainsFunc(notFromAlibaba, func(m string) bool { return strings.Contains(q.expr, m) }) {
			continue
		}
		expr := substitute(strings.ReplaceAll(q.expr, "$account", e2eAliAccount))
		series, err := promQuery(t, promBase, expr)
		if err != nil {
			t.Errorf("%s: %v", q.where, err)
			continue
		}
		if len(series) == 0 {
			t.Errorf("%s, Alibaba account: %q returns no data", q.where, expr)
		}
	}
}

func keys(m map[[2]string]map[string]string) [][2]string {
	var out [][2]string
	for k := range m {
		out = append(out, k)
	}
	return out
}
