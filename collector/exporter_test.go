package collector

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"

	"github.com/dts-exporter/dts_exporter/internal/dts"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fakeSource returns a fixed snapshot.
type fakeSource struct {
	snap  dts.Snapshot
	delay time.Duration
	calls int
}

func (f *fakeSource) Collect(ctx context.Context) dts.Snapshot {
	f.calls++
	if f.delay > 0 {
		select {
		case <-ctx.Done():
			// As a real source does: its calls fail with the context's error.
			return dts.Snapshot{Families: []dts.FamilyResult{{Name: "sync_jobs",
				Err: &dts.APIError{Code: "ClientError.Timeout", Class: dts.ClassTimeout}}}}
		case <-time.After(f.delay):
		}
	}
	return f.snap
}

func fixtureTargets() []*Target {
	full := dts.Job{
		Provider: "tencent", Account: "prod", Region: "ap-guangzhou", Kind: dts.KindSync,
		ID: "sync-full0001", Name: "orders-dr", Type: "mysql2mysql",
		SrcDBType: "mysql", DstDBType: "mysql", SrcRegion: "ap-guangzhou", DstRegion: "ap-shanghai",
		Status: "Running", Phase: dts.PhaseRunning,
		Progress: dts.Float(0.42), StepCurrent: dts.Float(3), StepTotal: dts.Float(4),
		DelaySeconds: dts.Float(7), LagBytes: dts.Float(2 * 1024 * 1024),
		Steps: []dts.Step{
			{No: 1, ID: "schema-init", Name: "结构初始化", Status: dts.StepFinished, Progress: dts.Float(1)},
			{No: 2, ID: "loader", Name: "全量导入", Status: dts.StepRunning}, // -1: no progress sample
		},
	}
	// A job whose API answer had nulls and -1 everywhere: info, status and
	// phase only, no fake zeros.
	sparse := dts.Job{
		Provider: "tencent", Account: "prod", Region: "ap-guangzhou", Kind: dts.KindSync,
		ID: "sync-sparse01", Status: "Exploded", Phase: dts.PhaseUnknown,
	}
	good := NewTarget("tencent", "prod", "ap-guangzhou", &fakeSource{snap: dts.Snapshot{
		Jobs:     []dts.Job{full, sparse, full}, // the duplicate must be dropped
		Families: []dts.FamilyResult{{Name: "sync_jobs", Kinds: []dts.Kind{dts.KindSync}, Duration: 1500 * time.Millisecond}},
	}})
	bad := NewTarget("tencent", "prod", "ap-shanghai", &fakeSource{snap: dts.Snapshot{
		Families: []dts.FamilyResult{{Name: "sync_jobs", Kinds: []dts.Kind{dts.KindSync}, Duration: 250 * time.Millisecond,
			Err: &dts.APIError{Provider: "tencent", Action: "DescribeSyncJobs", Code: "RequestLimitExceeded", Class: dts.ClassThrottled}}},
	}})
	return []*Target{good, bad}
}

func TestCollectGolden(t *testing.T) {
	var logs bytes.Buffer
	e := NewExporter(fixtureTargets(), 2, slog.New(slog.NewTextHandler(&logs, nil)))
	const golden = "testdata/collect.golden.prom"
	if *update {
		reg := prometheus.NewPedanticRegistry()
		reg.MustRegister(e.Collector(context.Background()))
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		enc := expfmt.NewEncoder(&out, expfmt.NewFormat(expfmt.TypeTextPlain))
		for _, mf := range mfs {
			if err := enc.Encode(mf); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(golden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := testutil.CollectAndCompare(e.Collector(context.Background()), f); err != nil {
		t.Error(err)
	}
	if !bytes.Contains(logs.Bytes(), []byte("collection failed")) || !bytes.Contains(logs.Bytes(), []byte("class=throttled")) {
		t.Errorf("a failed target was not logged with its class:\n%s", logs.String())
	}
}

func TestConcurrentScrapesShareOneRound(t *testing.T) {
	src := &fakeSource{delay: 200 * time.Millisecond, snap: dts.Snapshot{Families: []dts.FamilyResult{{Name: "sync_jobs", Kinds: []dts.Kind{dts.KindSync}}}}}
	target := NewTarget("tencent", "a", "ap-guangzhou", src)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan dts.Snapshot)
	for range 5 {
		go func() { done <- target.Collect(ctx) }()
	}
	for range 5 {
		if err := (<-done).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if src.calls != 1 {
		t.Errorf("5 concurrent scrapes made %d rounds, want 1", src.calls)
	}
}

func TestTargetReturnsByTheDeadline(t *testing.T) {
	src := &fakeSource{delay: 10 * time.Second}
	target := NewTarget("tencent", "a", "ap-guangzhou", src)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	snap := target.Collect(ctx)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Collect took %s", took)
	}
	var apiErr *dts.APIError
	if !errors.As(snap.Err(), &apiErr) || apiErr.Class != dts.ClassTimeout {
		t.Errorf("error = %v, want a timeout", snap.Err())
	}
}
