// Package simulator is a protocol-faithful fake of the DTS cloud APIs for the
// demo mode and the tests: it speaks Tencent Cloud API 3.0 (TC3-HMAC-SHA256
// signatures verified) and Alibaba Cloud OpenAPI RPC (ACS3-HMAC-SHA256
// signatures verified), serves a scenario of jobs that evolve with time, and
// injects faults on demand, so that the exporter's real SDK code path runs.
package simulator

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configure a simulated cloud.
type Options struct {
	// Credentials maps secret ids to secret keys that the simulator accepts.
	Credentials map[string]string
	// Scenario describes the jobs the simulator serves.
	Scenario Scenario
	// Clock returns the scenario time; nil means time.Now. Tests fix it to
	// get deterministic answers. Signature timestamps are always checked
	// against the real time, as the cloud does.
	Clock func() time.Time
}

// Fault makes the simulator answer an action with an error instead of data.
type Fault struct {
	// Action is the API action, e.g. DescribeSyncJobs; empty matches all.
	Action string
	// Region restricts the fault to one region; empty matches all.
	Region string
	// Code is the API error code returned, e.g. RequestLimitExceeded.
	Code string
	// Message is the error message; a default is used when empty.
	Message string
	// Malformed answers a truncated, invalid JSON body instead of an error.
	Malformed bool
	// Delay holds the answer back this long (or until the client gives up).
	Delay time.Duration
	// Times is how many calls the fault affects; 0 means every call.
	Times int
}

// Server is a simulated cloud. Its zero value is not usable; use New.
type Server struct {
	opts  Options
	clock func() time.Time

	mu     sync.Mutex
	faults []*Fault
	calls  map[string]int
}

// New returns a simulator with the given options.
func New(opts Options) *Server {
	s := &Server{opts: opts, clock: opts.Clock, calls: map[string]int{}}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.opts.Scenario.Epoch.IsZero() {
		s.opts.Scenario.Epoch = s.clock()
	}
	return s
}

// Handler returns the HTTP handler that serves every simulated API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if isAlibaba(r) {
			s.serveAlibaba(w, r)
			return
		}
		s.serveTencent(w, r)
	})
	return mux
}

// Start serves the simulator on addr (e.g. 127.0.0.1:0) in the background and
// returns its base URL and a function that stops it.
func (s *Server) Start(addr string) (baseURL string, stop func() error, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), srv.Close, nil
}

// InjectFault adds a fault; faults are matched in the order they were added.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Calls returns how many authenticated calls of action the simulator answered
// (with data or with an injected fault).
func (s *Server) Calls(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[action]
}

// takeFault counts the call and returns the fault to apply, if any.
func (s *Server) takeFault(action, region string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[action]++
	for i, f := range s.faults {
		if (f.Action != "" && f.Action != action) || (f.Region != "" && f.Region != region) {
			continue
		}
		applied := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &applied
	}
	return nil
}

// holdBack waits out a fault's delay; false if the client gave up first.
func holdBack(r *http.Request, f *Fault) bool {
	if f.Delay <= 0 {
		return true
	}
	select {
	case <-r.Context().Done():
		return false
	case <-time.After(f.Delay):
		return true
	}
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
