package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/dts-exporter/dts_exporter/internal/testutil"
)

// startDemoExporter runs the program as `dts_exporter --demo` would.
func startDemoExporter(t *testing.T) (base string, logs *testutil.Buffer) {
	t.Helper()
	addr := testutil.FreeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	logs = &testutil.Buffer{}
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, []string{"--demo", "--web.listen-address=" + addr}, io.Discard, logs) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-exited:
			if code != 0 {
				t.Errorf("exporter exited with %d; logs:\n%s", code, logs.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("exporter did not shut down")
		}
	})
	base = "http://" + addr
	for deadline := time.Now().Add(10 * time.Second); ; {
		if resp, err := http.Get(base + "/-/healthy"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, logs
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo exporter did not come up; logs:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// documentedMetrics returns the metric names of the README's metrics table.
func documentedMetrics(t *testing.T) []string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	start := strings.Index(section, "\n## Metrics")
	if start < 0 {
		t.Fatal("README has no '## Metrics' section")
	}
	section = section[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	var names []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| (?:gauge|counter|histogram|summary) \\|").FindAllStringSubmatch(section, -1) {
		names = append(names, m[1])
	}
	return names
}

// TestDemo is the acceptance test of `dts_exporter --demo`: it serves every
// documented metric, the README's table lists exactly the served names, and
// promtool finds nothing to lint.
func TestDemo(t *testing.T) {
	base, logs := startDemoExporter(t)
	body := string(testutil.Get(t, base+"/metrics"))

	parser := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var served []string
	for name := range mfs {
		if strings.HasPrefix(name, "dts_") {
			served = append(served, name)
		}
	}
	slices.Sort(served)
	documented := documentedMetrics(t)
	slices.Sort(documented)
	if !slices.Equal(served, documented) {
		t.Errorf("README metrics table and /metrics differ:\n served: %v\n README: %v", served, documented)
	}
	for _, name := range []string{
		"dts_up", "dts_jobs", "dts_job_info", "dts_job_status", "dts_job_phase", "dts_job_progress_ratio",
		"dts_job_step_current", "dts_job_steps", "dts_job_step_status", "dts_job_step_progress_ratio",
		"dts_job_delay_seconds", "dts_job_lag_bytes", "dts_exporter_collector_success",
		"dts_exporter_collector_duration_seconds", "dts_exporter_api_requests_total",
		"dts_exporter_api_request_duration_seconds", "dts_exporter_build_info",
	} {
		if mfs[name] == nil {
			t.Errorf("the demo does not serve %s", name)
		}
	}
	for _, m := range mfs["dts_up"].GetMetric() {
		if m.GetGauge().GetValue() != 1 {
			t.Errorf("demo target down: %v\nlogs:\n%s", m.GetLabel(), logs.String())
		}
	}

	promtool := os.Getenv("PROMTOOL")
	if promtool == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("PROMTOOL is not set: run the tests with `make test`")
		}
		t.Skip("PROMTOOL not set; `make test` builds promtool and sets it")
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) != 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

func TestDemoConfigPageHidesKeys(t *testing.T) {
	base, _ := startDemoExporter(t)
	page := string(testutil.Get(t, base+"/config"))
	if !strings.Contains(page, "secret_key: <secret>") {
		t.Errorf("/config does not show the masked key:\n%s", page)
	}
	landing := string(testutil.Get(t, base+"/"))
	if !strings.Contains(landing, "demo-tencent / ap-guangzhou") {
		t.Errorf("the landing page does not list the targets")
	}
}

func TestConfigCheck(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--config.check", "--config.file=testdata/valid.yml"}, &out, &errOut); code != 0 {
		t.Errorf("valid config: exit %d, stderr %s", code, errOut.String())
	}
	if want := "config file testdata/valid.yml is valid: 1 account(s), 2 target(s)\n"; out.String() != want {
		t.Errorf("stdout %q, want %q", out.String(), want)
	}
	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), []string{"--config.check", "--config.file=testdata/invalid.yml"}, &out, &errOut); code != 1 {
		t.Errorf("invalid config: exit %d, want 1", code)
	}
	if want := `accounts[0].provider: "aws" is not supported (allowed: alibaba, tencent)`; !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr %q does not name the field: want %q", errOut.String(), want)
	}
	if strings.Contains(out.String()+errOut.String(), "config-check-secret-value") {
		t.Error("config check printed a secret")
	}
}

func TestBadFlagsExitNonZero(t *testing.T) {
	var errOut bytes.Buffer
	if code := run(context.Background(), []string{"--no-such-flag"}, io.Discard, &errOut); code == 0 {
		t.Error("an unknown flag exited 0")
	}
	if code := run(context.Background(), []string{"--config.file=testdata/missing.yml"}, io.Discard, &errOut); code != 1 {
		t.Errorf("a missing config file exited %d, want 1", code)
	}
	if !strings.Contains(errOut.String(), "testdata/missing.yml") {
		t.Errorf("the error does not name the file: %s", errOut.String())
	}
}
