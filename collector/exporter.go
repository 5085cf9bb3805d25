package collector

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dts-exporter/dts_exporter/internal/dts"
)

// Exporter collects all targets on each scrape.
type Exporter struct {
	logger      *slog.Logger
	concurrency int

	mu      sync.RWMutex
	targets []*Target
}

// NewExporter returns an exporter over targets, collecting at most
// concurrency targets at a time.
func NewExporter(targets []*Target, concurrency int, logger *slog.Logger) *Exporter {
	if concurrency < 1 {
		concurrency = 1
	}
	return &Exporter{targets: targets, concurrency: concurrency, logger: logger}
}

// SetTargets replaces the targets, e.g. after a configuration reload.
func (e *Exporter) SetTargets(targets []*Target) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.targets = targets
}

// Targets returns the current targets.
func (e *Exporter) Targets() []*Target {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.targets
}

// Collector returns a prometheus.Collector for one scrape: every cloud call it
// makes carries ctx, and so the scrape's deadline.
func (e *Exporter) Collector(ctx context.Context) prometheus.Collector {
	return &scrape{ctx: ctx, exporter: e, targets: e.Targets()}
}

// HandlerOpts configure the /metrics handler.
type HandlerOpts struct {
	// Self is the process registry: the exporter's own metrics.
	Self prometheus.Gatherer
	// TimeoutOffset is subtracted from Prometheus' scrape timeout, to leave
	// time for encoding and the network.
	TimeoutOffset time.Duration
	// DefaultTimeout applies when the scraper sends no timeout header.
	DefaultTimeout time.Duration
}

// Handler serves the exporter's own metrics and a fresh collection of every
// target, within the scrape timeout.
func (e *Exporter) Handler(opts HandlerOpts) http.Handler {
	errLog := slog.NewLogLogger(e.logger.Handler(), slog.LevelError)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), ScrapeTimeout(r, opts))
		defer cancel()
		reg := prometheus.NewRegistry()
		reg.MustRegister(e.Collector(ctx))
		gatherers := prometheus.Gatherers{reg}
		if opts.Self != nil {
			gatherers = append(gatherers, opts.Self)
		}
		promhttp.HandlerFor(gatherers, promhttp.HandlerOpts{
			ErrorLog:      errLog,
			ErrorHandling: promhttp.ContinueOnError,
		}).ServeHTTP(w, r)
	})
}

// ScrapeTimeout is Prometheus' X-Prometheus-Scrape-Timeout-Seconds less the
// offset, or the default when the header is absent or invalid.
func ScrapeTimeout(r *http.Request, opts HandlerOpts) time.Duration {
	timeout := opts.DefaultTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	if v := r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds"); v != "" {
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs > 0 {
			timeout = time.Duration(secs * float64(time.Second))
		}
	}
	if t := timeout - opts.TimeoutOffset; t > 0 {
		return t
	}
	return timeout
}

// scrape is the collector of one scrape.
type scrape struct {
	ctx      context.Context
	exporter *Exporter
	targets  []*Target
}

var _ prometheus.Collector = (*scrape)(nil)

func (s *scrape) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d
	}
}

func (s *scrape) Collect(ch chan<- prometheus.Metric) {
	snaps := make([]dts.Snapshot, len(s.targets))
	sem := make(chan struct{}, s.exporter.concurrency)
	var wg sync.WaitGroup
	for i, t := range s.targets {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
				snaps[i] = t.Collect(s.ctx)
			case <-s.ctx.Done():
				snaps[i] = t.timedOut(s.ctx)
			}
		})
	}
	wg.Wait()
	for i, t := range s.targets {
		s.emitTarget(ch, t, snaps[i])
	}
}

func (s *scrape) emitTarget(ch chan<- prometheus.Metric, t *Target, snap dts.Snapshot) {
	logger := s.exporter.logger
	tl := []string{t.Provider, t.Account, t.Region}
	up := 1.0
	kindOK := map[dts.Kind]bool{}
	for _, f := range snap.Families {
		ok := 1.0
		if f.Err != nil {
			ok, up = 0, 0
			logger.Warn("collection failed", "provider", t.Provider, "account", t.Account, "region", t.Region,
				"collector", f.Name, "class", dts.ClassOf(f.Err), "err", f.Err)
		} else {
			for _, k := range f.Kinds {
				kindOK[k] = true
			}
		}
		ch <- prometheus.MustNewConstMetric(collectorSuccessDesc, prometheus.GaugeValue, ok, withLabels(tl, f.Name)...)
		ch <- prometheus.MustNewConstMetric(collectorDurationDesc, prometheus.GaugeValue, f.Duration.Seconds(), withLabels(tl, f.Name)...)
	}
	ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, up, tl...)

	counts := map[dts.Kind]int{}
	counted := map[[2]string]bool{} // a two-way job is one job
	seen := map[[3]string]bool{}
	for _, job := range snap.Jobs {
		key := [3]string{string(job.Kind), job.ID, job.Direction}
		if seen[key] {
			continue // an id listed twice would make the whole scrape fail
		}
		seen[key] = true
		if !counted[[2]string{key[0], key[1]}] {
			counted[[2]string{key[0], key[1]}] = true
			counts[job.Kind]++
		}
		emitJob(ch, t, job)
	}
	seenChecks := map[[3]string]bool{}
	for _, c := range snap.Checks {
		key := [3]string{string(c.Kind), c.JobID, c.Direction}
		if seenChecks[key] {
			continue
		}
		seenChecks[key] = true
		emitCheck(ch, t, c)
	}
	for kind := range kindOK {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(counts[kind]), withLabels(tl, string(kind))...)
	}
}

// emitJob writes every series of one job.
func emitJob(ch chan<- prometheus.Metric, t *Target, job dts.Job) {
	id := []string{t.Provider, t.Account, t.Region, string(job.Kind), job.ID, job.Direction}
	gauge := func(d *prometheus.Desc, v float64, extra ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, withLabels(id, extra...)...)
	}
	optional := func(d *prometheus.Desc, v *float64, extra ...string) {
		if v != nil {
			gauge(d, *v, extra...)
		}
	}

	gauge(jobInfoDesc, 1, job.Name, job.Type, job.SrcDBType, job.DstDBType, job.SrcRegion, job.DstRegion)
	gauge(jobStatusDesc, 1, job.Status)
	for _, p := range dts.Phases {
		gauge(jobPhaseDesc, boolValue(p == job.Phase), string(p))
	}
	optional(jobProgressDesc, job.Progress)
	optional(jobStepCurrentDesc, job.StepCurrent)
	optional(jobStepsDesc, job.StepTotal)
	optional(jobDelayDesc, job.DelaySeconds)
	optional(jobLagBytesDesc, job.LagBytes)
	optional(jobRecordsDesc, job.RecordsPerSecond)
	optional(jobFlowDesc, job.FlowBytesPerSecond)
	optional(jobCheckpointDesc, job.CheckpointSeconds)

	seenSteps := map[[2]string]bool{}
	for _, step := range job.Steps {
		no := strconv.FormatUint(step.No, 10)
		if seenSteps[[2]string{no, step.ID}] {
			continue
		}
		seenSteps[[2]string{no, step.ID}] = true
		for _, st := range dts.StepStatuses {
			gauge(jobStepStatusDesc, boolValue(st == step.Status), no, step.ID, step.Name, string(st))
		}
		optional(jobStepProgressDesc, step.Progress, no, step.ID)
	}
}

// emitCheck writes every series of one job's pre-check.
func emitCheck(ch chan<- prometheus.Metric, t *Target, c dts.Check) {
	id := []string{t.Provider, t.Account, t.Region, string(c.Kind), c.JobID, c.Direction}
	gauge := func(d *prometheus.Desc, v float64, extra ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, withLabels(id, extra...)...)
	}
	for _, st := range dts.CheckStatuses {
		gauge(checkStatusDesc, boolValue(st == c.Status), string(st))
	}
	if c.Passed != nil {
		gauge(checkPassedDesc, boolValue(*c.Passed))
	}
	if c.Progress != nil {
		gauge(checkProgressDesc, *c.Progress)
	}
	seen := map[[2]string]bool{}
	for _, step := range c.Steps {
		no := strconv.FormatUint(step.No, 10)
		if seen[[2]string{no, step.ID}] {
			continue
		}
		seen[[2]string{no, step.ID}] = true
		for _, st := range dts.CheckStepStatuses {
			gauge(checkStepStatusDesc, boolValue(st == step.Status), no, step.ID, step.Name, string(st))
		}
		gauge(checkStepErrorsDesc, float64(step.Errors), no, step.ID)
		gauge(checkStepWarningsDesc, float64(step.Warnings), no, step.ID)
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
