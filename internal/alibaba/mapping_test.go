package alibaba

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/dts-exporter/dts_exporter/internal/dts"
)

func TestPhase(t *testing.T) {
	for status, want := range map[string]dts.Phase{
		"Synchronizing": dts.PhaseRunning, "synchronizing": dts.PhaseRunning, "SYNCHRONIZING": dts.PhaseRunning,
		"Initializing": dts.PhaseInitializing, "initializating": dts.PhaseInitializing,
		"Failed": dts.PhaseFailed, "failed": dts.PhaseFailed, "InitializeFailed": dts.PhaseFailed, "MigrationFailed": dts.PhaseFailed,
		"PrecheckFailed": dts.PhaseCheckFailed, "precheckFailed": dts.PhaseCheckFailed, "Prechecking": dts.PhaseChecking,
		"PreCheckPass": dts.PhasePending, "NotStarted": dts.PhasePending, "notStarted": dts.PhasePending,
		"Suspending": dts.PhasePaused, "Locked": dts.PhasePaused, "Finished": dts.PhaseFinished,
		"Migrating": dts.PhaseRunning, "Retrying": dts.PhaseRunning, "Modifying": dts.PhaseRunning,
		"": dts.PhaseUnknown, "Exploding": dts.PhaseUnknown,
	} {
		if got := Phase(status); got != want {
			t.Errorf("Phase(%q) = %s, want %s", status, got, want)
		}
	}
}

func TestFlowBytes(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		in   text
		want float64
		ok   bool
	}{
		{"1", mib, true},
		{"1.5", 1.5 * mib, true},
		{"1.50MB/s", 1.5 * mib, true},
		{"0.00MB/s", 0, true},
		{" 2 MB/s ", 2 * mib, true},
		{"512KB/s", 512 * 1024, true},
		{"8Mbit/s", mib, true},
		{"1GB/s", 1 << 30, true},
		{"100B/s", 100, true},
		{"", 0, false},
		{"n/a", 0, false},
		{"3 furlongs/s", 0, false},
	}
	for _, tt := range tests {
		got, ok := flowBytes(tt.in)
		if ok != tt.ok || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("flowBytes(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNumber(t *testing.T) {
	for in, want := range map[text]float64{"100": 100, "856": 856, "12.5": 12.5, "100RPS": 100, "1610616144": 1610616144, "-1": -1} {
		if got, ok := number(in); !ok || got != want {
			t.Errorf("number(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []text{"", "RPS", "true", "null"} {
		if _, ok := number(in); ok {
			t.Errorf("number(%q) parsed, want no value", in)
		}
	}
}

// TestTextAcceptsEveryScalar: the APIs send the same field as a string, a
// number or a bool.
func TestTextAcceptsEveryScalar(t *testing.T) {
	var v struct{ A, B, C, D, E text }
	if err := json.Unmarshal([]byte(`{"A":"true","B":true,"C":856,"D":null,"E":"1.50MB/s"}`), &v); err != nil {
		t.Fatal(err)
	}
	if !v.A.isTrue() || !v.B.isTrue() || v.C != "856" || v.D != "" || v.E != "1.50MB/s" {
		t.Errorf("decoded %+v", v)
	}
	if err := json.Unmarshal([]byte(`{"A":{"x":1}}`), &v); err == nil {
		t.Error("an object decoded as text")
	}
}
