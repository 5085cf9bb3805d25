package collector

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/dts-exporter/dts_exporter/internal/config"
	"github.com/dts-exporter/dts_exporter/internal/simulator"
	"github.com/dts-exporter/dts_exporter/internal/tencent"
	"github.com/dts-exporter/dts_exporter/internal/testutil"
)

// newExporterServer serves an exporter for the configuration yml.
func newExporterServer(t *testing.T, yml string) *e2e {
	t.Helper()
	cfg, err := config.Parse([]byte(yml), ".")
	if err != nil {
		t.Fatal(err)
	}
	logs := &testutil.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	self := prometheus.NewRegistry()
	targets, err := NewTargets(cfg, NewAPIMetrics(self), logger)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewExporter(targets, 4, logger).Handler(HandlerOpts{Self: self, DefaultTimeout: 20 * time.Second}))
	t.Cleanup(srv.Close)
	return &e2e{srv: srv, logs: logs}
}

func startSim(t *testing.T, opts simulator.Options) (*simulator.Server, string) {
	t.Helper()
	opts.Credentials = map[string]string{simID: simKey, aliID: aliKey}
	sim := simulator.New(opts)
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	return sim, url
}

// TestCheckCostOnSteadyFleet is the cost acceptance test: of 251 sync jobs,
// 25 are checking and 50 have finished checks. The first scrape reads all
// 75 checks; the second reads only the 25 running ones. When the running
// checks finish, each is read once more, and then none.
func TestCheckCostOnSteadyFleet(t *testing.T) {
	epoch := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	var now atomic.Int64
	now.Store(epoch.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }
	sim, url := startSim(t, simulator.Options{
		Clock: clock,
		Scenario: simulator.Scenario{
			Epoch:           epoch,
			TencentSyncJobs: map[string]int{guangzhou: fleetJobs},
			SyncStatus: func(_ string, i int) string {
				switch {
				case i < 25:
					return "Checking"
				case i < 50:
					return "CheckPass"
				case i < 75:
					return "CheckNotPass"
				}
				return "Running"
			},
		},
	})
	e := newExporterServer(t, fmt.Sprintf(`accounts:
  - name: prod
    provider: tencent
    regions: [%s]
    endpoint: %s
    credentials: {secret_id: %s, secret_key: %s}
`, guangzhou, url, simID, simKey))

	type calls struct{ list, check int }
	count := func() calls {
		return calls{sim.Calls("DescribeSyncJobs"), sim.Calls("DescribeCheckSyncJobResult")}
	}
	scrapeCost := func(step string) (calls, map[string]float64, map[string]float64) {
		t.Helper()
		before := count()
		_, mfs := e.scrape(t, "")
		after := count()
		if up := series(mfs, "dts_up")[renderLabels(map[string]string{"provider": "tencent", "account": "prod", "region": guangzhou})]; up != 1 {
			t.Fatalf("%s: dts_up = %v, want 1; logs:\n%s", step, up, e.logs.String())
		}
		return calls{after.list - before.list, after.check - before.check}, series(mfs, "dts_check_passed"), series(mfs, "dts_check_status")
	}

	first, passed, _ := scrapeCost("first scrape")
	if first.check != 75 || first.list != 3 {
		t.Errorf("first scrape: %d DescribeSyncJobs and %d DescribeCheckSyncJobResult calls, want 3 and 75", first.list, first.check)
	}
	if n := len(passed); n != 50 {
		t.Errorf("first scrape: %d dts_check_passed series, want 50 (running checks have none)", n)
	}
	second, passed2, status := scrapeCost("second scrape")
	if second.list > 3 || second.check > 25 {
		t.Errorf("second scrape: %d DescribeSyncJobs and %d DescribeCheckSyncJobResult calls, want at most 3 and 25", second.list, second.check)
	}
	if second.check != 25 {
		t.Errorf("second scrape: %d check calls, want exactly the 25 running checks", second.check)
	}
	if len(passed2) != 50 {
		t.Errorf("second scrape: cached checks were not exported: %d dts_check_passed series, want 50", len(passed2))
	}
	running := 0
	for k, v := range status {
		if strings.Contains(k, "status=running") && v == 1 {
			running++
		}
	}
	if running != 25 {
		t.Errorf("second scrape: %d checks running, want 25", running)
	}

	// Every running check is now over: each changed job status costs one
	// read, and after that the fleet costs nothing.
	now.Store(epoch.Add(90 * time.Second).UnixNano())
	third, passed3, _ := scrapeCost("third scrape")
	if third.check != 25 {
		t.Errorf("third scrape: %d check calls, want 25 (the jobs whose status changed)", third.check)
	}
	if len(passed3) != 75 {
		t.Errorf("third scrape: %d dts_check_passed series, want 75", len(passed3))
	}
	fourth, _, _ := scrapeCost("fourth scrape")
	if fourth.check != 0 {
		t.Errorf("fourth scrape: %d check calls on a fleet whose checks are all finished, want 0", fourth.check)
	}
}

// TestVendorCheckExamples serves the vendor pages' example answers (Tencent
// documentation 000, 001 and 002) from a loopback server and checks the
// metrics the exporter makes of them, step by step.
func TestVendorCheckExamples(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile("../internal/tencent/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	syncCheck := read("DescribeCheckSyncJobResult.vendor-example.json")
	migCheck := read("DescribeMigrationCheckJob.vendor-example.json")
	legacyCheck := read("DescribeSyncCheckJob.vendor-example.json")
	// Listings with one job each, in the status whose check is read; the
	// ids are those of the examples' requests.
	answers := map[string]string{
		"DescribeSyncJobs/2021-12-06":           `{"Response":{"TotalCount":1,"JobList":[{"JobId":"sync-bllmn8x9","Status":"CheckPass","SrcDatabaseType":"mysql","DstDatabaseType":"mysql"}],"RequestId":"r1"}}`,
		"DescribeCheckSyncJobResult/2021-12-06": syncCheck,
		"DescribeMigrationJobs/2021-12-06":      `{"Response":{"TotalCount":1,"JobList":[{"JobId":"dts-1ewjspuw","Status":"checkPass"}],"RequestId":"r2"}}`,
		"DescribeMigrationCheckJob/2021-12-06":  migCheck,
		"DescribeSyncJobs/2018-03-30":           `{"Response":{"TotalCount":1,"JobList":[{"JobId":"sync-blj8wnt1","Status":4}],"RequestId":"r3"}}`,
		"DescribeSyncCheckJob/2018-03-30":       legacyCheck,
	}
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("X-TC-Action") + "/" + r.Header.Get("X-TC-Version")
		body, ok := answers[key]
		if !ok {
			body = `{"Response":{"Error":{"Code":"InvalidAction","Message":"` + key + `"},"RequestId":"x"}}`
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(fake.Close)
	e := newExporterServer(t, fmt.Sprintf(`accounts:
  - name: vendor
    provider: tencent
    regions: [%s]
    endpoint: %s
    credentials: {secret_id: %s, secret_key: %s}
    collect: [sync_jobs, sync_checks, migration_jobs, migration_checks, legacy_sync]
`, guangzhou, fake.URL, simID, simKey))
	_, mfs := e.scrape(t, "")
	if up := series(mfs, "dts_up")[renderLabels(map[string]string{"provider": "tencent", "account": "vendor", "region": guangzhou})]; up != 1 {
		t.Fatalf("dts_up = %v; logs:\n%s", up, e.logs.String())
	}
	key := func(kind, id string, extra ...string) string {
		return labelKey(map[string]string{"provider": "tencent", "account": "vendor", "region": guangzhou, "kind": kind, "job_id": id}, extra...)
	}
	passed := series(mfs, "dts_check_passed")
	status := series(mfs, "dts_check_status")
	progress := series(mfs, "dts_check_progress_ratio")
	stepStatus := series(mfs, "dts_check_step_status")
	errs := series(mfs, "dts_check_step_errors")
	warns := series(mfs, "dts_check_step_warnings")

	type step struct {
		no, id, name, status string
		errors, warnings     float64
	}
	cases := []struct {
		kind, id string
		passed   float64
		progress float64
		steps    []step
		nSteps   int
	}{
		{"sync", "sync-bllmn8x9", 1, 1, []step{
			{"1", "ConnectDBCheck", "Database connection check", "pass", 0, 0},
			{"4", "SrcPrivilegeCheck", "Source instance permission check", "warning", 0, 1},
			{"13", "WarningParamCheck", "", "warning", 0, 2},
			{"14", "AdvancedStoreObjectCheck", "", "pass", 0, 0},
		}, 14},
		{"migration", "dts-1ewjspuw", 1, 1, []step{
			{"0", "ConnectDBCheck", "Database connection check", "pass", 0, 0},
			{"2", "SrcPrivilegeCheck", "Source instance permission check", "warning", 0, 1},
			// The example's last step is "failed" with a warning item,
			// yet CheckFlag says checkPass: the flag is the verdict.
			{"12", "OptimizeCheck", "", "failed", 0, 1},
		}, 13},
		{"sync", "sync-blj8wnt1", 1, 1, []step{
			{"1", "1", "检查参数", "pass", 0, 0},
			{"7", "7", "检查目标实例是否为空", "pass", 0, 0},
		}, 10},
	}
	for _, c := range cases {
		k := key(c.kind, c.id)
		if got, ok := passed[k]; !ok || got != c.passed {
			t.Errorf("%s: dts_check_passed = %v (present %v), want %v", c.id, got, ok, c.passed)
		}
		if got := progress[k]; got != c.progress {
			t.Errorf("%s: dts_check_progress_ratio = %v, want %v", c.id, got, c.progress)
		}
		if got := status[key(c.kind, c.id, "status", "success")]; got != 1 {
			t.Errorf("%s: dts_check_status{status=success} = %v, want 1", c.id, got)
		}
		n := 0
		for sk := range errs {
			if strings.Contains(sk, "job_id="+c.id+",") {
				n++
			}
		}
		if n != c.nSteps {
			t.Errorf("%s: %d steps exported, want %d", c.id, n, c.nSteps)
		}
		for _, st := range c.steps {
			name := st.name
			if name == "" { // not asserted: look it up by the other labels
				for sk := range stepStatus {
					if strings.Contains(sk, "job_id="+c.id+",") && strings.Contains(sk, "step_id="+st.id+",") {
						name = sk[strings.Index(sk, "step_name=")+len("step_name="):]
						name = name[:strings.Index(name, ",")]
						break
					}
				}
			}
			if got := stepStatus[key(c.kind, c.id, "step_no", st.no, "step_id", st.id, "step_name", name, "status", st.status)]; got != 1 {
				t.Errorf("%s step %s %s: status %s is %v, want 1", c.id, st.no, st.id, st.status, got)
			}
			sk := key(c.kind, c.id, "step_no", st.no, "step_id", st.id)
			if errs[sk] != st.errors || warns[sk] != st.warnings {
				t.Errorf("%s step %s: errors %v warnings %v, want %v and %v", c.id, st.id, errs[sk], warns[sk], st.errors, st.warnings)
			}
		}
	}
	// No running check, so every check has its verdict; the legacy job's
	// status label is the API's integer.
	if got := series(mfs, "dts_job_status")[key("sync", "sync-blj8wnt1", "status", "4")]; got != 1 {
		t.Errorf("legacy job status label: got %v, want status=\"4\" = 1", got)
	}
}

// TestMigrationJobs checks every migration job of a fleet that holds every
// status against the simulator's own answer.
func TestMigrationJobs(t *testing.T) {
	sim, url := startSim(t, simulator.Options{
		Clock: e2eClock,
		Scenario: simulator.Scenario{
			Epoch:                e2eClock().Add(-10 * time.Minute),
			TencentMigrationJobs: map[string]int{guangzhou: 130},
		},
	})
	e := newExporterServer(t, fmt.Sprintf(`accounts:
  - name: prod
    provider: tencent
    regions: [%s]
    endpoint: %s
    credentials: {secret_id: %s, secret_key: %s}
    collect: [migration_jobs, migration_checks]
`, guangzhou, url, simID, simKey))
	body, mfs := e.scrape(t, "")
	if got := sim.Calls("DescribeMigrationJobs"); got != 2 {
		t.Errorf("%d DescribeMigrationJobs calls for 130 jobs, want 2", got)
	}
	key := func(id string, extra ...string) string {
		return labelKey(map[string]string{"provider": "tencent", "account": "prod", "region": guangzhou, "kind": "migration", "job_id": id}, extra...)
	}
	if got := series(mfs, "dts_jobs")[renderLabels(map[string]string{"provider": "tencent", "account": "prod", "region": guangzhou, "kind": "migration"})]; got != 130 {
		t.Errorf("dts_jobs{kind=migration} = %v, want 130", got)
	}
	phase, status := series(mfs, "dts_job_phase"), series(mfs, "dts_job_status")
	delay, lag := series(mfs, "dts_job_delay_seconds"), series(mfs, "dts_job_lag_bytes")
	stepStatus, stepProgress := series(mfs, "dts_job_step_status"), series(mfs, "dts_job_step_progress_ratio")
	checks := series(mfs, "dts_check_status")
	statuses := map[string]bool{}
	for _, w := range sim.TencentMigrationJobs(guangzhou) {
		id := *w.JobId
		statuses[w.Status] = true
		if status[key(id, "status", w.Status)] != 1 {
			t.Errorf("%s: dts_job_status{status=%q} is not 1", id, w.Status)
		}
		want := tencent.MigrationPhase(w.Status)
		if want == "unknown" && w.Status != "unknown" {
			t.Errorf("status %q has no phase", w.Status)
		}
		if phase[key(id, "phase", string(want))] != 1 {
			t.Errorf("%s: phase %s is not 1 for status %s", id, want, w.Status)
		}
		d := w.StepInfo
		if d == nil {
			if _, ok := delay[key(id)]; ok {
				t.Errorf("%s: null StepInfo gave a delay", id)
			}
			continue
		}
		checkOptional(t, id+" delay", delay, key(id), d.SecondsBehindMaster >= 0, float64(d.SecondsBehindMaster))
		checkOptional(t, id+" lag", lag, key(id), d.MasterSlaveDistance >= 0, float64(d.MasterSlaveDistance)*1024*1024)
		for _, st := range d.StepInfo {
			no := strconv.FormatUint(st.StepNo, 10)
			norm, _ := tencent.StepStatus(st.Status)
			if stepStatus[key(id, "step_no", no, "step_id", st.StepId, "step_name", st.StepName, "status", string(norm))] != 1 {
				t.Errorf("%s step %s: %s (%s) is not 1", id, no, norm, st.Status)
			}
			checkOptional(t, id+" step progress", stepProgress, key(id, "step_no", no, "step_id", st.StepId), true, float64(st.Percent)/100)
		}
		_, hasCheck := checks[key(id, "status", "success")]
		wantCheck := w.Status == "checking" || w.Status == "checkPass" || w.Status == "checkNotPass"
		if hasCheck != wantCheck {
			t.Errorf("%s in %s: check exported %v, want %v", id, w.Status, hasCheck, wantCheck)
		}
	}
	if len(statuses) != 19 {
		t.Errorf("the fleet holds %d of the 19 migration statuses", len(statuses))
	}
	assertNoSecrets(t, "metrics", body)
	assertNoSecrets(t, "logs", e.logs.String())
}

// TestLegacyAPIOffline: where the 2018-03-30 API answers ActionOffline,
// legacy_sync collects nothing, says so once, and the target stays up.
func TestLegacyAPIOffline(t *testing.T) {
	sim, url := startSim(t, simulator.Options{
		Clock: e2eClock,
		Scenario: simulator.Scenario{
			TencentSyncJobs:       map[string]int{guangzhou: 3, shanghai: 2},
			TencentLegacySyncJobs: map[string]int{guangzhou: 12},
		},
	})
	e := newExporterServer(t, fmt.Sprintf(`accounts:
  - name: prod
    provider: tencent
    regions: [%s, %s]
    endpoint: %s
    credentials: {secret_id: %s, secret_key: %s}
    collect: [sync_jobs, legacy_sync]
`, guangzhou, shanghai, url, simID, simKey))
	var mfs = e.scrapeTwice(t)
	for _, region := range []string{guangzhou, shanghai} {
		if up := series(mfs, "dts_up")[renderLabels(map[string]string{"provider": "tencent", "account": "prod", "region": region})]; up != 1 {
			t.Errorf("%s: dts_up = %v, want 1", region, up)
		}
	}
	jobs := series(mfs, "dts_jobs")
	if got := jobs[renderLabels(map[string]string{"provider": "tencent", "account": "prod", "region": guangzhou, "kind": "sync"})]; got != 15 {
		t.Errorf("guangzhou sync jobs = %v, want 3 + 12 legacy", got)
	}
	if got := jobs[renderLabels(map[string]string{"provider": "tencent", "account": "prod", "region": shanghai, "kind": "sync"})]; got != 2 {
		t.Errorf("shanghai sync jobs = %v, want 2", got)
	}
	if n := strings.Count(e.logs.String(), "2018-03-30 sync API is not available"); n != 1 {
		t.Errorf("the offline API was logged %d times over two scrapes, want once", n)
	}
	if sim.Calls("DescribeSyncCheckJob") == 0 {
		t.Error("no legacy check was read in the region that has the API")
	}
}

func (e *e2e) scrapeTwice(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	e.scrape(t, "")
	_, mfs := e.scrape(t, "")
	return mfs
}

// TestFailingCheckFamilyKeepsJobs: when the check API throttles for good,
// the target is down and sync_checks reports the failure, but the jobs and
// the other families are still exported.
func TestFailingCheckFamilyKeepsJobs(t *testing.T) {
	sim, url := startSim(t, simulator.Options{
		Clock:    e2eClock,
		Scenario: simulator.Scenario{TencentSyncJobs: map[string]int{guangzhou: 21}, TencentMigrationJobs: map[string]int{guangzhou: 20}},
	})
	sim.InjectFault(simulator.Fault{Action: "DescribeCheckSyncJobResult", Code: "RequestLimitExceeded"})
	e := newExporterServer(t, fmt.Sprintf(`accounts:
  - name: prod
    provider: tencent
    regions: [%s]
    endpoint: %s
    credentials: {secret_id: %s, secret_key: %s}
`, guangzhou, url, simID, simKey))
	_, mfs := e.scrape(t, "")
	target := map[string]string{"provider": "tencent", "account": "prod", "region": guangzhou}
	if up := series(mfs, "dts_up")[renderLabels(target)]; up != 0 {
		t.Errorf("dts_up = %v, want 0", up)
	}
	success := series(mfs, "dts_exporter_collector_success")
	for family, want := range map[string]float64{"sync_jobs": 1, "sync_checks": 0, "migration_jobs": 1, "migration_checks": 1} {
		if got := success[labelKey(target, "collector", family)]; got != want {
			t.Errorf("collector_success{%s} = %v, want %v", family, got, want)
		}
	}
	jobs := series(mfs, "dts_jobs")
	for kind, want := range map[string]float64{"sync": 21, "migration": 20} {
		if got := jobs[labelKey(target, "kind", kind)]; got != want {
			t.Errorf("dts_jobs{kind=%s} = %v, want %v", kind, got, want)
		}
	}
	errs := series(mfs, "dts_exporter_api_errors_total")
	if errs[labelKey(target, "action", "DescribeCheckSyncJobResult", "class", "throttled")] == 0 {
		t.Error("throttled check calls were not counted")
	}
	if !strings.Contains(e.logs.String(), "collector=sync_checks") {
		t.Error("the failing family was not logged")
	}
}
