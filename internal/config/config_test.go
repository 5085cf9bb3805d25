package config

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestLoadValidConfig(t *testing.T) {
	cfg, err := Load("testdata/valid.yml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(cfg.Accounts) != 3 {
		t.Fatalf("got %d accounts, want 3", len(cfg.Accounts))
	}
	prod, chain := cfg.Accounts[0], cfg.Accounts[1]
	if got := prod.Credentials.Key().Reveal(); got != "file-secret-key-value" {
		t.Errorf("key from secret_key_file = %q, want the file's trimmed content", got)
	}
	if !prod.Credentials.Static() || chain.Credentials.Static() {
		t.Errorf("Static() = %v, %v; want true for file credentials, false for the default chain", prod.Credentials.Static(), chain.Credentials.Static())
	}
	if got := strings.Join(prod.Collect, ","); got != "sync_jobs,sync_checks,migration_jobs,migration_checks" {
		t.Errorf("default collect = %v, want [sync_jobs sync_checks migration_jobs migration_checks]", got)
	}
	if got := strings.Join(chain.Collect, ","); got != "sync_jobs,legacy_sync" || chain.RateLimits["DescribeSyncJobs"] != 50 {
		t.Errorf("collect = %v, rate_limits = %v; want [sync_jobs legacy_sync], DescribeSyncJobs 50", got, chain.RateLimits)
	}
	if chain.Endpoint != "http://127.0.0.1:8080" {
		t.Errorf("endpoint = %q", chain.Endpoint)
	}
	ali := cfg.Accounts[2]
	if ali.Credentials.ID() != "LTAIexample" || ali.Credentials.Key().Reveal() != "file-secret-key-value" {
		t.Errorf("alibaba credentials: id %q, key from access_key_secret_file %q", ali.Credentials.ID(), ali.Credentials.Key().Reveal())
	}
	if got := strings.Join(ali.Collect, ","); got != "synchronization" {
		t.Errorf("alibaba default collect = %v, want [synchronization]", got)
	}
}

// TestLoadBadConfigs checks that every invalid file is refused with a message
// that names the field and what is allowed.
func TestLoadBadConfigs(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"invalid-unknown-top.yml", `top level: unknown field "acounts" on line 1 (allowed: accounts)`},
		{"invalid-unknown-account-field.yml", `accounts[0]: unknown field "region" on line 4 (allowed: name, provider, regions, endpoint, credentials, collect, rate_limits)`},
		{"invalid-unknown-credentials-field.yml", `accounts[0].credentials: unknown field "secret" on line 6 (allowed: secret_id, secret_key, secret_key_file, access_key_id, access_key_secret, access_key_secret_file)`},
		{"invalid-no-accounts.yml", `accounts: at least one account is required`},
		{"invalid-missing-name.yml", `accounts[0].name: is required`},
		{"invalid-bad-name.yml", `accounts[0].name: "prod account" is not allowed (use letters, digits and _ . : -, starting with a letter or digit)`},
		{"invalid-duplicate-name.yml", `accounts[1].name: "a" is already used by accounts[0]; names must be unique`},
		{"invalid-missing-provider.yml", `accounts[0].provider: is required (allowed: alibaba, tencent)`},
		{"invalid-unknown-provider.yml", `accounts[0].provider: "aws" is not supported (allowed: alibaba, tencent)`},
		{"invalid-empty-regions.yml", `accounts[0].regions: at least one region is required, e.g. [ap-guangzhou]`},
		{"invalid-bad-region.yml", `accounts[0].regions[0]: "Guangzhou" is not a region id (expected lower-case words joined by '-', e.g. ap-guangzhou)`},
		{"invalid-duplicate-region.yml", `accounts[0].regions[1]: "ap-guangzhou" is listed twice`},
		{"invalid-endpoint-scheme.yml", `accounts[0].endpoint: "ftp://127.0.0.1:8080" must start with http:// or https://`},
		{"invalid-endpoint-userinfo.yml", `accounts[0].endpoint: must not contain credentials; use the credentials block`},
		{"invalid-key-without-id.yml", `accounts[0].credentials: secret_id is required when secret_key or secret_key_file is set`},
		{"invalid-id-without-key.yml", `accounts[0].credentials: secret_id needs secret_key or secret_key_file`},
		{"invalid-key-and-file.yml", `accounts[0].credentials: set only one of secret_key and secret_key_file`},
		{"invalid-unreadable-key-file.yml", `accounts[0].credentials: secret_key_file: open testdata/does-not-exist.key: no such file or directory`},
		{"invalid-empty-key-file.yml", `accounts[0].credentials: secret_key_file: testdata/empty.key is empty`},
		{"invalid-unknown-collect.yml", `accounts[0].collect[1]: "dms_tasks" is not an API family of provider tencent (allowed: sync_jobs, sync_checks, migration_jobs, migration_checks, legacy_sync)`},
		{"invalid-rate-limit-action.yml", `accounts[0].rate_limits.DescribeSyncJob: "DescribeSyncJob" is not an API action of provider tencent (allowed: DescribeCheckSyncJobResult, DescribeMigrationCheckJob, DescribeMigrationJobs, DescribeSyncCheckJob, DescribeSyncJobs, DescribeSyncJobs.v20180330)`},
		{"invalid-rate-limit-value.yml", `accounts[0].rate_limits.DescribeCheckSyncJobResult: 0 is out of range: requests per second must be > 0 and <= 1000`},
		{"invalid-alibaba-tencent-fields.yml", `accounts[0].credentials: secret_id, secret_key and secret_key_file are for provider tencent; provider alibaba uses access_key_id, access_key_secret and access_key_secret_file`},
		{"invalid-alibaba-id-without-secret.yml", `accounts[0].credentials: access_key_id needs access_key_secret or access_key_secret_file`},
		{"invalid-alibaba-collect.yml", `accounts[0].collect[1]: "sync_jobs" is not an API family of provider alibaba (allowed: synchronization, dts_jobs)`},
		{"invalid-regions-type.yml", "parse config: yaml: unmarshal errors:\n  line 4: cannot unmarshal !!str `ap-guan...` into []string"},
		{"invalid-yaml.yml", `parse config: yaml: line 1: did not find expected '-' indicator`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := Load(filepath.Join("testdata", tt.file))
			if err == nil {
				t.Fatalf("Load succeeded, want error %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got: %s\nwant: %s", err, tt.want)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := Parse([]byte("accounts:\n  - name: a\n    provider: aws\n    regions: []\n"), ".")
	if err == nil {
		t.Fatal("Parse succeeded")
	}
	for _, want := range []string{"accounts[0].provider", "accounts[0].regions"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("testdata/nope.yml")
	if err == nil || !strings.Contains(err.Error(), "read config: open testdata/nope.yml") {
		t.Fatalf("error = %v, want it to name the missing file", err)
	}
}

// TestHideConfigSecrets proves that no rendering of a config shows a key:
// YAML, JSON, fmt verbs and slog all print the mask.
func TestHideConfigSecrets(t *testing.T) {
	const key = "inline-secret-key-value"
	cfg, err := Parse([]byte(`accounts:
  - name: a
    provider: tencent
    regions: [ap-guangzhou]
    credentials:
      secret_id: AKIDexample
      secret_key: `+key+`
  - name: b
    provider: alibaba
    regions: [cn-hangzhou]
    credentials:
      access_key_id: LTAIexample
      access_key_secret: `+key+"\n"), ".")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if cfg.Accounts[0].Credentials.Key().Reveal() != key || cfg.Accounts[1].Credentials.Key().Reveal() != key {
		t.Fatal("the keys were not loaded")
	}
	y, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "key", cfg.Accounts[0].Credentials.SecretKey, "creds", cfg.Accounts[0].Credentials.Key(),
		"ali", cfg.Accounts[1].Credentials.AccessKeySecret, "alicreds", cfg.Accounts[1].Credentials)
	renderings := map[string]string{
		"yaml":        string(y),
		"json":        string(j),
		"%v":          fmt.Sprintf("%v", cfg),
		"%+v":         fmt.Sprintf("%+v", *cfg),
		"%#v":         fmt.Sprintf("%#v", cfg.Accounts[0].Credentials),
		"%#v alibaba": fmt.Sprintf("%#v", cfg.Accounts[1].Credentials),
		"%v alibaba":  fmt.Sprintf("%v", cfg.Accounts[1]),
		"slog":        logged.String(),
	}
	for name, out := range renderings {
		if strings.Contains(out, key) {
			t.Errorf("%s rendering leaks the key: %s", name, out)
		}
		if !strings.Contains(out, "<secret>") && !strings.Contains(out, `\u003csecret\u003e`) {
			t.Errorf("%s rendering does not show the mask: %s", name, out)
		}
	}
}

func TestKeyFileRelativeToConfig(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "k"), []byte("from-dir\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "c.yml")
	if err := os.WriteFile(cfgPath, []byte("accounts:\n  - name: a\n    provider: tencent\n    regions: [ap-guangzhou]\n    credentials: {secret_id: x, secret_key_file: k}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Accounts[0].Credentials.Key().Reveal(); got != "from-dir" {
		t.Errorf("key = %q, want the file beside the config", got)
	}
}

// TestExampleConfig keeps config.example.yaml valid.
func TestExampleConfig(t *testing.T) {
	example, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range []string{"tencent-prod.key", "alibaba-prod.key"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("k\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := Parse(example, dir)
	if err != nil {
		t.Fatalf("config.example.yaml is invalid: %v", err)
	}
	if len(cfg.Accounts) != 3 || cfg.Accounts[1].Credentials.Static() || cfg.Accounts[2].Credentials.ID() == "" {
		t.Errorf("unexpected example: %+v", cfg.Accounts)
	}
}
