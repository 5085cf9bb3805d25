// Package config loads and validates the exporter's YAML configuration.
//
// Parsing is strict: an unknown key, a wrong type or an invalid value is an
// error naming the field and what is allowed, never a warning.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config is the whole configuration file.
type Config struct {
	Accounts []Account `yaml:"accounts"`
}

// Account is one cloud account. Each of its regions is one collection target.
type Account struct {
	// Name is unique and becomes the `account` label.
	Name     string   `yaml:"name"`
	Provider string   `yaml:"provider"`
	Regions  []string `yaml:"regions"`
	// Endpoint optionally overrides the API base URL, e.g. http://127.0.0.1:8080.
	Endpoint    string      `yaml:"endpoint,omitempty"`
	Credentials Credentials `yaml:"credentials,omitempty"`
	// Collect lists the API families to call; empty means the provider's default.
	Collect []string `yaml:"collect,omitempty"`
	// RateLimits overrides the client-side limit of API actions, in
	// requests per second, e.g. {DescribeCheckSyncJobResult: 10}. Actions
	// not listed keep their documented limit.
	RateLimits map[string]float64 `yaml:"rate_limits,omitempty"`
}

// Credentials are optional: without them the provider SDK's standard chain
// applies (environment, profile file, instance role). Each provider has its
// own field names, those of its console and SDK.
type Credentials struct {
	// Tencent Cloud.
	SecretID      string `yaml:"secret_id,omitempty"`
	SecretKey     Secret `yaml:"secret_key,omitempty"`
	SecretKeyFile string `yaml:"secret_key_file,omitempty"`
	// Alibaba Cloud.
	AccessKeyID         string `yaml:"access_key_id,omitempty"`
	AccessKeySecret     Secret `yaml:"access_key_secret,omitempty"`
	AccessKeySecretFile string `yaml:"access_key_secret_file,omitempty"`

	// key is the secret, or the content of the secret file, resolved at
	// load time.
	key Secret
}

// ID returns the key id: secret_id or access_key_id.
func (c Credentials) ID() string {
	if c.SecretID != "" {
		return c.SecretID
	}
	return c.AccessKeyID
}

// Static reports whether the file holds credentials (otherwise the SDK's
// default chain applies).
func (c Credentials) Static() bool { return c.ID() != "" }

// Key returns the secret, read from the secret field or the secret file.
func (c Credentials) Key() Secret { return c.key }

// WithKey returns a copy of c with its key set, for configs built in code.
func (c Credentials) WithKey(key string) Credentials {
	c.key = Secret(key)
	return c
}

// credentialFields are the YAML names of a provider's key id, secret and
// secret file fields.
type credentialFields struct{ id, secret, file string }

// fields returns the values of the fields named by f.
func (c Credentials) fields(f credentialFields) (id string, secret Secret, file string) {
	if f.id == "access_key_id" {
		return c.AccessKeyID, c.AccessKeySecret, c.AccessKeySecretFile
	}
	return c.SecretID, c.SecretKey, c.SecretKeyFile
}

// ProviderSpec says what an account of one provider may collect.
type ProviderSpec struct {
	// Collect lists the API families this provider implements.
	Collect []string
	// DefaultCollect is used when an account's collect list is empty.
	DefaultCollect []string
	// RateLimits are the documented per-action limits (requests per
	// second); their keys are the actions rate_limits may name.
	RateLimits map[string]float64
	// credentials names the provider's credential fields.
	credentials credentialFields
}

// Providers lists the providers this build implements.
var Providers = map[string]ProviderSpec{
	"tencent": {
		Collect:        []string{"sync_jobs", "sync_checks", "migration_jobs", "migration_checks", "legacy_sync"},
		DefaultCollect: []string{"sync_jobs", "sync_checks", "migration_jobs", "migration_checks"},
		RateLimits: map[string]float64{
			"DescribeSyncJobs":           100,
			"DescribeCheckSyncJobResult": 20,
			"DescribeMigrationJobs":      20,
			"DescribeMigrationCheckJob":  20,
			"DescribeSyncJobs.v20180330": 20,
			"DescribeSyncCheckJob":       20,
		},
		credentials: credentialFields{"secret_id", "secret_key", "secret_key_file"},
	},
	"alibaba": {
		Collect:        []string{"synchronization", "dts_jobs"},
		DefaultCollect: []string{"synchronization"},
		RateLimits: map[string]float64{
			// Documented: 20/s per account and region. The Synchronization*
			// limits are not documented; 20/s is the conservative guess.
			"DescribeDtsJobs":                  20,
			"DescribeSynchronizationJobs":      20,
			"DescribeSynchronizationJobStatus": 20,
		},
		credentials: credentialFields{"access_key_id", "access_key_secret", "access_key_secret_file"},
	},
}

// maxRateLimit bounds rate_limits values: far above any documented limit,
// low enough to catch a typo such as 10000.
const maxRateLimit = 1000

var (
	nameRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]*$`)
	regionRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)
)

// Load reads, parses and validates the file at path. Relative key file paths
// are resolved against the file's directory.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(data, filepath.Dir(path))
}

// Parse parses and validates a configuration; baseDir resolves relative paths.
func Parse(data []byte, baseDir string) (*Config, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parse config: %w", err)
	}
	cfg := &Config{}
	if len(root.Content) > 0 {
		if err := checkKnownFields(&root, reflect.TypeFor[Config](), ""); err != nil {
			return nil, err
		}
		if err := root.Decode(cfg); err != nil {
			return nil, fmt.Errorf("parse config: %w", err)
		}
	}
	if err := cfg.prepare(baseDir); err != nil {
		return nil, err
	}
	return cfg, nil
}

// prepare applies defaults, resolves key files and validates; it reports every
// problem it finds, each naming its field.
func (c *Config) prepare(baseDir string) error {
	var errs []error
	fail := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
	}
	if len(c.Accounts) == 0 {
		fail("accounts", "at least one account is required")
	}
	seen := map[string]int{}
	for i := range c.Accounts {
		a := &c.Accounts[i]
		p := fmt.Sprintf("accounts[%d]", i)
		switch {
		case a.Name == "":
			fail(p+".name", "is required")
		case !nameRE.MatchString(a.Name):
			fail(p+".name", "%q is not allowed (use letters, digits and _ . : -, starting with a letter or digit)", a.Name)
		default:
			if j, dup := seen[a.Name]; dup {
				fail(p+".name", "%q is already used by accounts[%d]; names must be unique", a.Name, j)
			}
			seen[a.Name] = i
		}

		spec, known := Providers[a.Provider]
		switch {
		case a.Provider == "":
			fail(p+".provider", "is required (allowed: %s)", allowedProviders())
		case !known:
			fail(p+".provider", "%q is not supported (allowed: %s)", a.Provider, allowedProviders())
		}

		if len(a.Regions) == 0 {
			fail(p+".regions", "at least one region is required, e.g. [ap-guangzhou]")
		}
		for j, r := range a.Regions {
			rp := fmt.Sprintf("%s.regions[%d]", p, j)
			if !regionRE.MatchString(r) {
				fail(rp, "%q is not a region id (expected lower-case words joined by '-', e.g. ap-guangzhou)", r)
			} else if slices.Index(a.Regions, r) != j {
				fail(rp, "%q is listed twice", r)
			}
		}

		if a.Endpoint != "" {
			if err := checkEndpoint(a.Endpoint); err != nil {
				fail(p+".endpoint", "%v", err)
			}
		}

		if err := a.Credentials.resolve(baseDir, a.Provider); err != nil {
			fail(p+".credentials", "%v", err)
		}

		if known {
			if len(a.Collect) == 0 {
				a.Collect = slices.Clone(spec.DefaultCollect)
			}
			for j, fam := range a.Collect {
				cp := fmt.Sprintf("%s.collect[%d]", p, j)
				if !slices.Contains(spec.Collect, fam) {
					fail(cp, "%q is not an API family of provider %s (allowed: %s)", fam, a.Provider, strings.Join(spec.Collect, ", "))
				} else if slices.Index(a.Collect, fam) != j {
					fail(cp, "%q is listed twice", fam)
				}
			}
			actions := slices.Sorted(maps.Keys(spec.RateLimits))
			for _, action := range slices.Sorted(maps.Keys(a.RateLimits)) {
				rp := fmt.Sprintf("%s.rate_limits.%s", p, action)
				v := a.RateLimits[action]
				switch {
				case !slices.Contains(actions, action):
					fail(rp, "%q is not an API action of provider %s (allowed: %s)", action, a.Provider, strings.Join(actions, ", "))
				case !(v > 0 && v <= maxRateLimit):
					fail(rp, "%v is out of range: requests per second must be > 0 and <= %d", v, maxRateLimit)
				}
			}
		}
	}
	return errors.Join(errs...)
}

func allowedProviders() string {
	names := make([]string, 0, len(Providers))
	for n := range Providers {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

func checkEndpoint(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not a URL", raw)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%q must start with http:// or https://", raw)
	case u.Host == "":
		return fmt.Errorf("%q has no host", raw)
	case u.User != nil:
		return fmt.Errorf("must not contain credentials; use the credentials block")
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("%q must not have a query or fragment", raw)
	}
	return nil
}

func (c *Credentials) resolve(baseDir, provider string) error {
	spec, known := Providers[provider]
	if !known {
		return nil // the provider field reports the problem
	}
	f := spec.credentials
	for _, other := range slices.Sorted(maps.Keys(Providers)) {
		o := Providers[other].credentials
		if other == provider || o == f {
			continue
		}
		if id, secret, file := c.fields(o); id != "" || secret != "" || file != "" {
			return fmt.Errorf("%s, %s and %s are for provider %s; provider %s uses %s, %s and %s",
				o.id, o.secret, o.file, other, provider, f.id, f.secret, f.file)
		}
	}
	id, secret, file := c.fields(f)
	hasKey, hasFile := secret != "", file != ""
	switch {
	case id == "" && !hasKey && !hasFile:
		return nil // the SDK's default chain applies
	case id == "":
		return fmt.Errorf("%s is required when %s or %s is set", f.id, f.secret, f.file)
	case hasKey && hasFile:
		return fmt.Errorf("set only one of %s and %s", f.secret, f.file)
	case !hasKey && !hasFile:
		return fmt.Errorf("%s needs %s or %s", f.id, f.secret, f.file)
	case hasKey:
		c.key = secret
		return nil
	}
	path := file
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		// The os error names the path and the reason, never the content.
		return fmt.Errorf("%s: %w", f.file, err)
	}
	key := strings.TrimSpace(string(data))
	if key == "" {
		return fmt.Errorf("%s: %s is empty", f.file, path)
	}
	c.key = Secret(key)
	return nil
}

// checkKnownFields rejects mapping keys that the target type does not have,
// naming the key's path, its line and the allowed keys. yaml.v3's own
// KnownFields check reports Go type names instead of config paths.
func checkKnownFields(n *yaml.Node, t reflect.Type, path string) error {
	for n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch t.Kind() {
	case reflect.Pointer:
		return checkKnownFields(n, t.Elem(), path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return nil // the decoder reports the type mismatch
		}
		for i, c := range n.Content {
			if err := checkKnownFields(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "" || name == "-" {
				continue
			}
			fields[name] = f.Type
			names = append(names, name)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			ft, ok := fields[key.Value]
			if !ok {
				where := path
				if where == "" {
					where = "top level"
				}
				return fmt.Errorf("%s: unknown field %q on line %d (allowed: %s)", where, key.Value, key.Line, strings.Join(names, ", "))
			}
			child := key.Value
			if path != "" {
				child = path + "." + key.Value
			}
			if err := checkKnownFields(n.Content[i+1], ft, child); err != nil {
				return err
			}
		}
	}
	return nil
}

// String implements fmt.Stringer: fmt cannot call Secret's methods on the
// unexported resolved key, so Credentials masks itself as a whole.
func (c Credentials) String() string {
	if c.AccessKeyID != "" || c.AccessKeySecretFile != "" {
		return fmt.Sprintf("{access_key_id:%s access_key_secret:%s access_key_secret_file:%s}", c.AccessKeyID, c.key, c.AccessKeySecretFile)
	}
	return fmt.Sprintf("{secret_id:%s secret_key:%s secret_key_file:%s}", c.SecretID, c.key, c.SecretKeyFile)
}

// GoString implements fmt.GoStringer, for %#v.
func (c Credentials) GoString() string { return "config.Credentials" + c.String() }
