// Command dts_exporter is a Prometheus exporter for cloud DTS (Data
// Transmission Service) jobs: Tencent Cloud DTS today.
package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/common/promslog"
	promslogflag "github.com/prometheus/common/promslog/flag"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web"
	"github.com/prometheus/exporter-toolkit/web/kingpinflag"
	"gopkg.in/yaml.v3"

	"github.com/dts-exporter/dts_exporter/collector"
	"github.com/dts-exporter/dts_exporter/internal/config"
)

const exporterName = "dts_exporter"

// defaultListenAddress: Prometheus' 9100–9999 port range is fully allocated,
// so the port is taken from the range the allocation list continues in.
const defaultListenAddress = ":10471"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program; it returns the exit code. Tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := kingpin.New(exporterName, "Prometheus exporter for cloud DTS (Data Transmission Service) sync and migration jobs.")
	var (
		configFile    = app.Flag("config.file", "Path to the configuration file.").Default("dts_exporter.yml").String()
		configCheck   = app.Flag("config.check", "Validate the configuration file, print the verdict and exit (0 if valid).").Bool()
		demo          = app.Flag("demo", "Serve metrics of an embedded simulated DTS cloud; needs no configuration file or credentials.").Bool()
		timeoutOffset = app.Flag("timeout-offset", "Seconds to subtract from Prometheus' scrape timeout, for encoding and the network.").Default("0.5").Float64()
		concurrency   = app.Flag("collect.concurrency", "How many targets (account and region) to collect at once.").Default("4").Int()
		metricsPath   = app.Flag("web.telemetry-path", "Path under which to expose metrics.").Default("/metrics").String()
		toolkitFlags  = kingpinflag.AddFlags(app, defaultListenAddress)
		logConfig     = &promslog.Config{Writer: stderr}
	)
	promslogflag.AddFlags(app, logConfig)
	app.Version(version.Print(exporterName))
	app.HelpFlag.Short('h')
	app.UsageWriter(stdout)
	app.ErrorWriter(stderr)
	app.Terminate(nil)
	if _, err := app.Parse(args); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", exporterName, err)
		return 2
	}
	logger := promslog.New(logConfig)

	var (
		cfg *config.Config
		err error
	)
	switch {
	case *demo:
		var stopDemo func() error
		cfg, stopDemo, err = startDemo()
		if err != nil {
			logger.Error("cannot start the demo simulator", "err", err)
			return 1
		}
		defer func() { _ = stopDemo() }()
		logger.Info("demo mode: serving a simulated DTS cloud", "endpoint", cfg.Accounts[0].Endpoint)
	default:
		cfg, err = config.Load(*configFile)
		if *configCheck {
			if err != nil {
				fmt.Fprintf(stderr, "config file %s is invalid:\n%v\n", *configFile, err)
				return 1
			}
			fmt.Fprintf(stdout, "config file %s is valid: %d account(s), %d target(s)\n", *configFile, len(cfg.Accounts), countTargets(cfg))
			return 0
		}
		if err != nil {
			logger.Error("cannot load the configuration", "file", *configFile, "err", err)
			return 1
		}
	}

	logger.Info("starting "+exporterName, "version", version.Info())
	logger.Info("build context", "build_context", version.BuildContext())

	self := prometheus.NewRegistry()
	self.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		versioncollector.NewCollector(exporterName),
	)
	api := collector.NewAPIMetrics(self)
	targets, err := collector.NewTargets(cfg, api, logger)
	if err != nil {
		logger.Error("cannot set up the targets", "err", err)
		return 1
	}
	exporter := collector.NewExporter(targets, *concurrency, logger)

	mux := http.NewServeMux()
	mux.Handle(*metricsPath, exporter.Handler(collector.HandlerOpts{
		Self:           self,
		TimeoutOffset:  time.Duration(*timeoutOffset * float64(time.Second)),
		DefaultTimeout: 10 * time.Second,
	}))
	mux.HandleFunc("/-/healthy", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "Healthy")
	})
	mux.HandleFunc("/config", func(w http.ResponseWriter, _ *http.Request) {
		// Secrets marshal as <secret>: this page never shows a key.
		out, err := yaml.Marshal(cfg)
		if err != nil {
			http.Error(w, "cannot render the configuration", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(out)
	})
	if *metricsPath != "/" {
		landing, err := web.NewLandingPage(web.LandingConfig{
			Name:        "DTS Exporter",
			Description: "Prometheus exporter for cloud DTS (Data Transmission Service) replication jobs",
			Version:     version.Info(),
			Links: []web.LandingLinks{
				{Address: *metricsPath, Text: "Metrics", Description: "DTS job metrics of every target, and the exporter's own"},
				{Address: "/config", Text: "Configuration", Description: "The loaded configuration, secrets hidden"},
				{Address: "/-/healthy", Text: "Health", Description: "Liveness check"},
			},
			ExtraHTML: targetsHTML(cfg),
		})
		if err != nil {
			logger.Error("cannot build the landing page", "err", err)
			return 1
		}
		mux.Handle("/", landing)
	}

	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- web.ListenAndServe(server, toolkitFlags, logger) }()
	select {
	case err := <-done:
		logger.Error("http server stopped", "err", err)
		return 1
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdownCtx)
		logger.Info("shut down")
		return 0
	}
}

func countTargets(cfg *config.Config) int {
	n := 0
	for _, a := range cfg.Accounts {
		n += len(a.Regions)
	}
	return n
}

// targetsHTML lists the targets on the landing page: names only, no secrets.
func targetsHTML(cfg *config.Config) string {
	var b strings.Builder
	b.WriteString("<h2>Targets</h2><ul>")
	for _, a := range cfg.Accounts {
		for _, r := range a.Regions {
			fmt.Fprintf(&b, "<li>%s / %s / %s</li>", html.EscapeString(a.Provider), html.EscapeString(a.Name), html.EscapeString(r))
		}
	}
	b.WriteString("</ul>")
	return b.String()
}
