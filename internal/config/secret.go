package config

import "log/slog"

// Secret is a string that never shows itself: it marshals, prints and logs as
// "<secret>", so a config dump, an error or a log line cannot leak it.
type Secret string

const hidden = "<secret>"

// MarshalYAML implements yaml.Marshaler.
func (s Secret) MarshalYAML() (any, error) {
	if s == "" {
		return "", nil
	}
	return hidden, nil
}

// MarshalJSON implements json.Marshaler.
func (s Secret) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte(`""`), nil
	}
	return []byte(`"` + hidden + `"`), nil
}

// String implements fmt.Stringer, so %v and %s print the mask.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return hidden
}

// GoString implements fmt.GoStringer, so %#v prints the mask too.
func (s Secret) GoString() string { return `config.Secret("` + s.String() + `")` }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Reveal returns the secret's value, for the one place that needs it: the
// cloud SDK's credential.
func (s Secret) Reveal() string { return string(s) }
