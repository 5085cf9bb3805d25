package dashboards

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/dts-exporter/dts_exporter/internal/testutil"
)

var dashboardFiles = []string{"dts-overview.json", "dts-job.json"}

// query is one PromQL expression of a dashboard or a rule, with where it is.
type query struct {
	where, expr string
}

type dashboard struct {
	path string
	raw  map[string]any
}

func loadDashboards(t *testing.T) []dashboard {
	t.Helper()
	var out []dashboard
	for _, f := range dashboardFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d map[string]any
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, dashboard{f, d})
	}
	return out
}

// panels returns every panel of a dashboard, rows' nested panels included.
func panels(d map[string]any) []map[string]any {
	var out []map[string]any
	var walk func(list any)
	walk = func(list any) {
		items, _ := list.([]any)
		for _, it := range items {
			p, _ := it.(map[string]any)
			if p == nil {
				continue
			}
			out = append(out, p)
			walk(p["panels"])
		}
	}
	walk(d["panels"])
	return out
}

var labelValuesRE = regexp.MustCompile(`^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$`)

// dashboardQueries returns every PromQL expression of the dashboards: panel
// targets and the selectors inside label_values() variable queries.
func dashboardQueries(t *testing.T) []query {
	t.Helper()
	var out []query
	for _, d := range loadDashboards(t) {
		for _, p := range panels(d.raw) {
			targets, _ := p["targets"].([]any)
			for _, it := range targets {
				tg, _ := it.(map[string]any)
				expr, _ := tg["expr"].(string)
				out = append(out, query{fmt.Sprintf("%s panel %q target %v", d.path, p["title"], tg["refId"]), expr})
			}
		}
		tmpl, _ := d.raw["templating"].(map[string]any)
		vars, _ := tmpl["list"].([]any)
		for _, it := range vars {
			v, _ := it.(map[string]any)
			if v["type"] != "query" {
				continue
			}
			def, _ := v["definition"].(string)
			m := labelValuesRE.FindStringSubmatch(def)
			if m == nil {
				t.Errorf("%s variable %v: query %q is not label_values(selector, label)", d.path, v["name"], def)
				continue
			}
			out = append(out, query{fmt.Sprintf("%s variable %v", d.path, v["name"]), m[1]})
		}
	}
	return out
}

func loadRules(t *testing.T, path string) *rulefmt.RuleGroups {
	t.Helper()
	groups, errs := rulefmt.ParseFile(path, false, model.UTF8Validation, parser.NewParser(parser.Options{}), slog.New(slog.DiscardHandler))
	if len(errs) > 0 {
		t.Fatalf("%s: %v", path, errs)
	}
	return groups
}

// ruleQueries returns every rule expression of alerts.yaml, and the names
// the file records.
func ruleQueries(t *testing.T) ([]query, map[string]bool) {
	t.Helper()
	var out []query
	recorded := map[string]bool{}
	for _, g := range loadRules(t, "alerts.yaml").Groups {
		for _, r := range g.Rules {
			name := r.Alert
			if r.Record != "" {
				name = r.Record
				recorded[r.Record] = true
			}
			out = append(out, query{fmt.Sprintf("alerts.yaml group %s rule %s", g.Name, name), r.Expr})
		}
	}
	return out, recorded
}

// substitute replaces Grafana variables: interval variables by durations,
// the others by a regular expression that matches any value (the
// dashboards use =~ for every variable).
func substitute(expr string) string {
	r := strings.NewReplacer(
		"$__rate_interval", "1m", "${__rate_interval}", "1m",
		"$__interval", "15s", "${__interval}", "15s",
		"$__range", "1h", "${__range}", "1h",
	)
	expr = r.Replace(expr)
	return regexp.MustCompile(`\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?`).ReplaceAllString(expr, ".*")
}

// metricNames parses expr and returns the metric names it selects.
func metricNames(expr string) ([]string, error) {
	e, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		return nil, err
	}
	var names []string
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			name := vs.Name
			for _, m := range vs.LabelMatchers {
				if m.Name == model.MetricNameLabel {
					name = m.Value
				}
			}
			names = append(names, name)
		}
		return nil
	})
	return names, nil
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// exporterBinary builds cmd/dts_exporter once per test run: the end-to-end
// tests run the real binary.
func exporterBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "dts-dashboards-test")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, "dts_exporter"), "../cmd/dts_exporter")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(binDir, "dts_exporter")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// startProcess runs a command until the test ends, its output in a buffer
// shown if the test fails.
func startProcess(t *testing.T, name string, args ...string) *testutil.Buffer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &testutil.Buffer{}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("output of %s:\n%s", filepath.Base(name), tail(out.String(), 4000))
		}
	})
	return out
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// waitHTTP polls url until it answers 200 or the timeout passes.
func waitHTTP(t *testing.T, url string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer 200 within %s (last error %v)", url, timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// exposedNames scrapes an exporter and returns every metric name it serves,
// with the _bucket, _sum and _count series of histograms and summaries.
func exposedNames(t *testing.T, metricsURL string) map[string]bool {
	t.Helper()
	body := testutil.Get(t, metricsURL)
	tp := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := tp.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for name, mf := range mfs {
		names[name] = true
		switch mf.GetType().String() {
		case "HISTOGRAM", "SUMMARY":
			names[name+"_bucket"], names[name+"_sum"], names[name+"_count"] = true, true, true
		}
	}
	return names
}

// requireTool returns the path in the environment variable env, failing
// under CI and skipping elsewhere when it is not set.
func requireTool(t *testing.T, env string) string {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: run the tests with `make test`", env)
		}
		t.Skipf("%s not set; `make test` builds it and sets it", env)
	}
	return p
}
