package collector

import (
	"bytes"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/simulator"
	"github.com/dts-exporter/dts_exporter/internal/tencent"
	"github.com/dts-exporter/dts_exporter/internal/testutil"
)

const (
	simID      = "AKIDe2e"
	simKey     = "e2e-secret-key-value"
	wrongKey   = "e2e-wrong-key-value"
	guangzhou  = "ap-guangzhou"
	shanghai   = "ap-shanghai"
	chongqing  = "ap-chongqing"
	fleetJobs  = 251
	secretBits = "SimPassw0rd|SimTmpSecretKey|SimTmpToken|AKIDsimTmp|" + simKey + "|" + wrongKey
)

var e2eClock = func() time.Time { return time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC) }

type e2e struct {
	sim  *simulator.Server
	srv  *httptest.Server
	logs *testutil.Buffer
}

// newE2E serves the exporter over a simulator: account "prod" has a 251-job
// region, a throttled region and a slow region; account "badkey" signs with
// the wrong key.
func newE2E(t *testing.T) *e2e {
	t.Helper()
	sim := simulator.New(simulator.Options{
		Credentials: map[string]string{simID: simKey},
		Scenario: simulator.Scenario{
			TencentSyncJobs: map[string]int{guangzhou: fleetJobs, shanghai: 21, chongqing: 3},
			Epoch:           e2eClock().Add(-3 * time.Minute),
		},
		Clock: e2eClock,
	})
	sim.InjectFault(simulator.Fault{Action: "DescribeSyncJobs", Region: shanghai, Code: "RequestLimitExceeded.RequestLimitExceededError"})
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })

	yml := fmt.Sprintf(`accounts:
  - name: prod
    provider: tencent
    regions: [%s, %s, %s]
    endpoint: %s
    credentials: {secret_id: %s, secret_key: %s}
  - name: badkey
    provider: tencent
    regions: [%s]
    endpoint: %s
    credentials: {secret_id: %s, secret_key: %s}
`, guangzhou, shanghai, chongqing, url, simID, simKey, guangzhou, url, simID, wrongKey)
	cfg, err := config.Parse([]byte(yml), ".")
	if err != nil {
		t.Fatal(err)
	}
	logs := &testutil.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	self := prometheus.NewRegistry()
	api := NewAPIMetrics(self)
	targets, err := NewTargets(cfg, api, logger)
	if err != nil {
		t.Fatal(err)
	}
	exp := NewExporter(targets, 4, logger)
	srv := httptest.NewServer(exp.Handler(HandlerOpts{Self: self, TimeoutOffset: 500 * time.Millisecond, DefaultTimeout: 10 * time.Second}))
	t.Cleanup(srv.Close)
	return &e2e{sim: sim, srv: srv, logs: logs}
}

func (e *e2e) scrape(t *testing.T, timeout string) (string, map[string]*dto.MetricFamily) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL, nil)
	if timeout != "" {
		req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", timeout)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	if _, err := body.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body.String())
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := parser.TextToMetricFamilies(bytes.NewReader(body.Bytes()))
	if err != nil {
		t.Fatalf("parse exposition: %v", err)
	}
	return body.String(), mfs
}

// series indexes a family's samples by their label set, rendered as
// name=value pairs sorted by name.
func series(mfs map[string]*dto.MetricFamily, name string) map[string]float64 {
	out := map[string]float64{}
	mf := mfs[name]
	if mf == nil {
		return out
	}
	for _, m := range mf.Metric {
		var parts []string
		for _, lp := range m.Label {
			if lp.GetValue() != "" { // an empty label is an absent one
				parts = append(parts, lp.GetName()+"="+lp.GetValue())
			}
		}
		v := m.GetGauge().GetValue()
		if m.Counter != nil {
			v = m.GetCounter().GetValue()
		}
		out[strings.Join(parts, ",")] = v
	}
	return out
}

func jobKey(account, region, id string, extra ...string) string {
	return labelKey(map[string]string{"provider": "tencent", "account": account, "region": region, "kind": "sync", "job_id": id}, extra...)
}

// labelKey renders base plus name/value pairs as series() keys them.
func labelKey(base map[string]string, extra ...string) string {
	labels := maps.Clone(base)
	for i := 0; i+1 < len(extra); i += 2 {
		labels[extra[i]] = extra[i+1]
	}
	return renderLabels(labels)
}

func renderLabels(labels map[string]string) string {
	names := make([]string, 0, len(labels))
	for n, v := range labels {
		if v != "" { // as series() renders them: an empty label is absent
			names = append(names, n)
		}
	}
	slices.Sort(names) // exposition parsing yields labels sorted by name
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + labels[n]
	}
	return strings.Join(parts, ",")
}

// TestFleetOf251Jobs is the acceptance test: every job of a three-page fleet
// is exported and matches the API's answer field by field.
func TestFleetOf251Jobs(t *testing.T) {
	e := newE2E(t)
	body, mfs := e.scrape(t, "")

	jobs := series(mfs, "dts_jobs")
	if got := jobs[renderLabels(map[string]string{"provider": "tencent", "account": "prod", "region": guangzhou, "kind": "sync"})]; got != fleetJobs {
		t.Errorf("dts_jobs = %v, want %d", got, fleetJobs)
	}
	if got := e.sim.Calls("DescribeSyncJobs"); got < 3 {
		t.Errorf("only %d DescribeSyncJobs calls for 251 jobs", got)
	}

	phase := series(mfs, "dts_job_phase")
	status := series(mfs, "dts_job_status")
	progress := series(mfs, "dts_job_progress_ratio")
	delay := series(mfs, "dts_job_delay_seconds")
	lag := series(mfs, "dts_job_lag_bytes")
	stepNow := series(mfs, "dts_job_step_current")
	steps := series(mfs, "dts_job_steps")
	stepStatus := series(mfs, "dts_job_step_status")
	stepProgress := series(mfs, "dts_job_step_progress_ratio")

	for _, w := range e.sim.TencentSyncJobs(guangzhou) {
		id := *w.JobId
		k := jobKey("prod", guangzhou, id)
		if got := status[jobKey("prod", guangzhou, id, "status", w.Status)]; got != 1 {
			t.Errorf("%s: dts_job_status{status=%q} = %v, want 1", id, w.Status, got)
		}
		want := tencent.SyncPhase(w.Status)
		if got := phase[jobKey("prod", guangzhou, id, "phase", string(want))]; got != 1 {
			t.Errorf("%s: phase %s is not 1 for status %s", id, want, w.Status)
		}
		d := w.Detail
		if d == nil {
			for name, m := range map[string]map[string]float64{"progress": progress, "delay": delay, "lag": lag, "steps": steps} {
				if _, ok := m[k]; ok {
					t.Errorf("%s: null Detail gave a %s sample", id, name)
				}
			}
			continue
		}
		checkOptional(t, id+" progress", progress, k, d.Progress >= 0, float64(d.Progress)/100)
		checkOptional(t, id+" delay", delay, k, d.SecondsBehindMaster >= 0, float64(d.SecondsBehindMaster))
		checkOptional(t, id+" lag", lag, k, d.MasterSlaveDistance >= 0, float64(d.MasterSlaveDistance)*1024*1024)
		checkOptional(t, id+" step_current", stepNow, k, true, float64(d.StepNow))
		checkOptional(t, id+" steps", steps, k, true, float64(d.StepAll))
		for _, st := range d.StepInfos {
			no := strconv.FormatUint(st.StepNo, 10)
			norm, _ := tencent.StepStatus(st.Status)
			sk := jobKey("prod", guangzhou, id, "step_no", no, "step_id", st.StepId, "step_name", st.StepName, "status", string(norm))
			if got := stepStatus[sk]; got != 1 {
				t.Errorf("%s step %s: status %s is not 1", id, no, norm)
			}
			pk := jobKey("prod", guangzhou, id, "step_no", no, "step_id", st.StepId)
			checkOptional(t, id+" step "+no+" progress", stepProgress, pk, st.Progress >= 0, float64(st.Progress)/100)
		}
	}
	assertNoSecrets(t, "metrics", body)
	assertNoSecrets(t, "logs", e.logs.String())
}

func checkOptional(t *testing.T, what string, m map[string]float64, key string, present bool, want float64) {
	t.Helper()
	got, ok := m[key]
	switch {
	case present && !ok:
		t.Errorf("%s: no sample, want %v", what, want)
	case !present && ok:
		t.Errorf("%s: sample %v for a -1/null value, want none", what, got)
	case present && math.Abs(got-want) > 1e-9:
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestFailingTargetsAreIsolated: a throttled region and a wrong key give
// dts_up 0, an error count and a log line each; the other targets export.
func TestFailingTargetsAreIsolated(t *testing.T) {
	e := newE2E(t)
	body, mfs := e.scrape(t, "")
	up := series(mfs, "dts_up")
	want := map[[2]string]float64{
		{"prod", guangzhou}: 1, {"prod", chongqing}: 1, {"prod", shanghai}: 0, {"badkey", guangzhou}: 0,
	}
	for tgt, v := range want {
		if got, ok := up[renderLabels(map[string]string{"provider": "tencent", "account": tgt[0], "region": tgt[1]})]; !ok || got != v {
			t.Errorf("dts_up{%s/%s} = %v (present %v), want %v", tgt[0], tgt[1], got, ok, v)
		}
	}
	errs := series(mfs, "dts_exporter_api_errors_total")
	throttled := renderLabels(map[string]string{"provider": "tencent", "account": "prod", "region": shanghai, "action": "DescribeSyncJobs", "class": "throttled"})
	auth := renderLabels(map[string]string{"provider": "tencent", "account": "badkey", "region": guangzhou, "action": "DescribeSyncJobs", "class": "auth"})
	if errs[throttled] < 1 || errs[auth] != 1 {
		t.Errorf("error counters: throttled %v, auth %v; want >=1 and 1", errs[throttled], errs[auth])
	}
	reqs := series(mfs, "dts_exporter_api_requests_total")
	if reqs[renderLabels(map[string]string{"provider": "tencent", "action": "DescribeSyncJobs", "code": "AuthFailure.SignatureFailure"})] != 1 {
		t.Errorf("requests by code: %v", reqs)
	}
	if n := len(series(mfs, "dts_job_info")); n != fleetJobs+3 {
		t.Errorf("%d jobs exported, want the %d of the healthy targets", n, fleetJobs+3)
	}
	logs := e.logs.String()
	for _, want := range []string{"class=throttled", "class=auth", "AuthFailure.SignatureFailure"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q", want)
		}
	}
	assertNoSecrets(t, "metrics", body)
	assertNoSecrets(t, "logs", logs)
}

// TestScrapeRespectsTimeout: a region that does not answer is reported down
// by the scrape deadline, and the others are still exported.
func TestScrapeRespectsTimeout(t *testing.T) {
	e := newE2E(t)
	e.sim.InjectFault(simulator.Fault{Action: "DescribeSyncJobs", Region: chongqing, Delay: 20 * time.Second})
	start := time.Now()
	_, mfs := e.scrape(t, "2")
	if took := time.Since(start); took > 4*time.Second {
		t.Errorf("scrape with a 2s timeout took %s", took)
	}
	up := series(mfs, "dts_up")
	if got := up[renderLabels(map[string]string{"provider": "tencent", "account": "prod", "region": chongqing})]; got != 0 {
		t.Errorf("slow region up = %v, want 0", got)
	}
	if got := up[renderLabels(map[string]string{"provider": "tencent", "account": "prod", "region": guangzhou})]; got != 1 {
		t.Errorf("healthy region up = %v, want 1", got)
	}
}

func TestMalformedAnswerIsReportedWithoutSecrets(t *testing.T) {
	e := newE2E(t)
	e.sim.InjectFault(simulator.Fault{Action: "DescribeSyncJobs", Region: chongqing, Malformed: true})
	body, mfs := e.scrape(t, "")
	if got := series(mfs, "dts_up")[renderLabels(map[string]string{"provider": "tencent", "account": "prod", "region": chongqing})]; got != 0 {
		t.Errorf("up = %v after a malformed answer, want 0", got)
	}
	errs := series(mfs, "dts_exporter_api_errors_total")
	if errs[renderLabels(map[string]string{"provider": "tencent", "account": "prod", "region": chongqing, "action": "DescribeSyncJobs", "class": "malformed"})] != 1 {
		t.Errorf("malformed answer not counted: %v", errs)
	}
	if !strings.Contains(e.logs.String(), "class=malformed") {
		t.Error("malformed answer not logged")
	}
	assertNoSecrets(t, "metrics", body)
	assertNoSecrets(t, "logs", e.logs.String())
}

func assertNoSecrets(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range strings.Split(secretBits, "|") {
		if strings.Contains(text, s) {
			i := strings.Index(text, s)
			t.Errorf("%s contain the secret %q: …%s…", where, s, text[max(0, i-80):min(len(text), i+80)])
		}
	}
}
