package steadystate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/chaosstat/chaosstat/compare"
	"go.yaml.in/yaml/v3"
)

// Source says where one group's data comes from: a file, named relative to
// the hypothesis file (the caller resolves and reads it: this package reads
// no files), or a PromQL range query. Exactly one of File and Query is set.
type Source struct {
	File  string
	Query string
	// Line is the source's line in the hypothesis file, for errors about
	// the data it names.
	Line int
}

// String returns the file name, or the query as "query: ...".
func (s Source) String() string {
	if s.Query != "" {
		return "query: " + s.Query
	}
	return s.File
}

// MetricSources are where one metric's two groups come from.
type MetricSources struct {
	Control, Experiment Source
	// HistoryControl and HistoryExperiment, both set or both zero, are
	// where the two groups' A/A time before the experiment comes from
	// (steadystate.Data's HistoryControl and HistoryExperiment): keys
	// history_control and history_experiment.
	HistoryControl, HistoryExperiment Source
}

// HasHistory reports whether the metric names history sources.
func (m MetricSources) HasHistory() bool {
	return m.HistoryControl != (Source{}) || m.HistoryExperiment != (Source{})
}

// Plan is a parsed hypothesis file: the hypothesis, and for each of its
// metrics (in the same order) where the data of each group comes from.
type Plan struct {
	// File is the name the file was parsed under, for messages.
	File       string
	Hypothesis Hypothesis
	Sources    []MetricSources
}

// ParseError is an error in a hypothesis file, with its position. Its Error
// method gives "file:line: field: msg", the form editors and terminals
// recognise, such as
//
//	hypothesis.yaml:7: metrics[0]: unknown field "tolerence" (did you mean "tolerance"?)
type ParseError struct {
	File string
	// Line is the 1-based line of the problem, 0 when no line is to blame
	// (an empty file).
	Line int
	// Field is the path of the field at fault, as "metrics[0].tolerance";
	// empty when the problem is not in one field (a syntax error, an unknown
	// field at the top level).
	Field string
	Msg   string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ParseHypothesis parses a hypothesis file (YAML; JSON is YAML too) from its
// bytes; filename names it in errors. The file's keys are described in
// examples/hypothesis/SCHEMA.md; in short:
//
//	name: instance-loss              # required
//	confidence: 0.95                 # (0, 1); default 0.95
//	correction: holm                 # holm | bh | by | none; default holm
//	thresholds: {pass: 0.95, marginal: 0.75}
//	groups: {latency: 2}             # group weights; default 1 each
//	metrics:                         # required, at least one
//	  - name: latency_seconds        # required, unique
//	    control: latency-control.csv # required: a file relative to this file,
//	    experiment: {query: 'histogram_quantile(...)'} # or {file: ...} or {query: ...}
//	    history_control: before-control.csv # both or neither: the two groups'
//	    history_experiment: before-experiment.csv # A/A time before the experiment, same forms
//	    direction: increase          # increase | decrease | either (default)
//	    tolerance: 0.05              # relative change allowed that way; default 0
//	    absolute_tolerance: 0        # the same in the metric's units; default 0
//	    critical: true               # default false
//	    kind: system                 # business | system
//	    unit: s
//	    group: latency
//	    weight: 1                    # > 0; default 1
//	    test: auto                   # auto | mannwhitney | welch | ks | quantile | timeseries | brunnermunzel
//	    quantile: 0.99               # with test: quantile
//	    nodata: inconclusive         # inconclusive | fail | ignore
//	    min_points: 8                # default DefaultMinPoints
//
// Every error is a *ParseError with the line and the field: an unknown key
// is an error (a misspelt key must not silently disable a check), as are a
// duplicate key, a value of the wrong type or out of range, an empty value,
// and YAML anchors and aliases (which would hide where a value comes from).
func ParseHypothesis(data []byte, filename string) (*Plan, error) {
	p := &hypParser{file: filename, lines: map[string]int{}}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	// The walk below checks every key against its list, which is what
	// KnownFields(true) would do for a struct, but with the field's path
	// and line in the message.
	dec.KnownFields(true)
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ParseError{File: filename, Msg: "empty file: want a hypothesis with a name and metrics"}
		}
		return nil, p.yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &ParseError{File: filename, Line: extra.Line, Msg: "a second YAML document (after ---): want one hypothesis per file"}
	} else if !errors.Is(err, io.EOF) {
		return nil, p.yamlError(err)
	}
	plan, err := p.plan(&doc)
	if err != nil {
		return nil, err
	}
	if err := plan.Hypothesis.Validate(); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			return nil, &ParseError{File: filename, Line: p.lineOf(fe.Field), Field: fe.Field, Msg: fe.Msg}
		}
		return nil, &ParseError{File: filename, Msg: err.Error()}
	}
	return plan, nil
}

// hypParser walks the YAML tree of a hypothesis file.
type hypParser struct {
	file string
	// lines maps a field path ("metrics[0].tolerance", "metrics[0]") to the
	// line it is on, for the errors of Validate.
	lines map[string]int
}

var yamlErrLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// yamlError turns an error of the YAML decoder into a *ParseError.
func (p *hypParser) yamlError(err error) error {
	msg := err.Error()
	line := 0
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	return &ParseError{File: p.file, Line: line, Msg: "invalid YAML: " + msg}
}

// lineOf returns the line of a field path, or of its nearest parent that has
// one.
func (p *hypParser) lineOf(field string) int {
	for field != "" {
		if l, ok := p.lines[field]; ok {
			return l
		}
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			break
		}
		field = field[:i]
	}
	return p.lines[""]
}

func (p *hypParser) errorf(n *yaml.Node, field, format string, args ...any) error {
	return &ParseError{File: p.file, Line: n.Line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// fieldPath makes a field path.
func fieldPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// mapping checks that n is a mapping with only the keys known, none twice,
// and calls f for each key and value, in file order.
func (p *hypParser) mapping(n *yaml.Node, path string, known []string, f func(key string, v *yaml.Node) error) error {
	if err := p.plain(n, path); err != nil {
		return err
	}
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, path, "%s: want a mapping of keys to values", describeNode(n))
	}
	p.lines[path] = n.Line
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			return p.errorf(k, path, "%s as a key: want a field name (merge keys << are not supported)", describeNode(k))
		}
		key := k.Value
		if prev, dup := seen[key]; dup {
			return p.errorf(k, path, "field %q given twice (first on line %d)", key, prev)
		}
		seen[key] = k.Line
		if known != nil && !hasKey(known, key) {
			msg := fmt.Sprintf("unknown field %q", key)
			if s := suggestKey(key, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += " (want one of " + strings.Join(known, ", ") + ")"
			}
			return p.errorf(k, path, "%s", msg)
		}
		p.lines[fieldPath(path, key)] = v.Line
		if err := f(key, v); err != nil {
			return err
		}
	}
	return nil
}

// plain rejects anchors and aliases.
func (p *hypParser) plain(n *yaml.Node, path string) error {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return p.errorf(n, path, "YAML anchors and aliases are not supported: write the value out")
	}
	return nil
}

// describeNode names a node's kind for messages.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "an empty value"
		}
		return strconv.Quote(n.Value)
	}
	return "an alias"
}

// scalar checks that n is a non-empty scalar.
func (p *hypParser) scalar(n *yaml.Node, path, want string) (string, error) {
	if err := p.plain(n, path); err != nil {
		return "", err
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errorf(n, path, "%s: want %s", describeNode(n), want)
	}
	return n.Value, nil
}

func (p *hypParser) str(n *yaml.Node, path, want string) (string, error) {
	s, err := p.scalar(n, path, want)
	if err == nil && strings.TrimSpace(s) == "" {
		err = p.errorf(n, path, "empty: want %s", want)
	}
	return s, err
}

func (p *hypParser) number(n *yaml.Node, path, want string) (float64, error) {
	s, err := p.scalar(n, path, want)
	if err != nil {
		return 0, err
	}
	if n.Tag != "!!int" && n.Tag != "!!float" {
		hint := ""
		if strings.HasSuffix(strings.TrimSpace(s), "%") {
			hint = ": write a percentage as a fraction, 0.05 for 5%"
		}
		return 0, p.errorf(n, path, "%q is not a number: want %s%s", s, want, hint)
	}
	var f float64
	if err := n.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, p.errorf(n, path, "%q is not a finite number: want %s", s, want)
	}
	return f, nil
}

func (p *hypParser) integer(n *yaml.Node, path, want string) (int, error) {
	s, err := p.scalar(n, path, want)
	if err != nil {
		return 0, err
	}
	var i int
	if n.Tag != "!!int" || n.Decode(&i) != nil {
		return 0, p.errorf(n, path, "%q is not a whole number: want %s", s, want)
	}
	return i, nil
}

func (p *hypParser) boolean(n *yaml.Node, path string) (bool, error) {
	s, err := p.scalar(n, path, "true or false")
	if err != nil {
		return false, err
	}
	var b bool
	if n.Tag != "!!bool" || n.Decode(&b) != nil {
		return false, p.errorf(n, path, "%q: want true or false", s)
	}
	return b, nil
}

var (
	hyptopKeys       = []string{"name", "description", "confidence", "correction", "thresholds", "groups", "metrics"}
	hypthresholdKeys = []string{"pass", "marginal"}
	hypmetricKeys    = []string{"name", "description", "kind", "unit", "control", "experiment", "history_control", "history_experiment", "direction", "tolerance", "absolute_tolerance", "critical", "group", "weight", "test", "quantile", "nodata", "min_points"}
	hypsourceKeys    = []string{"file", "query"}
)

// plan walks the document.
func (p *hypParser) plan(doc *yaml.Node) (*Plan, error) {
	plan := &Plan{File: p.file}
	h := &plan.Hypothesis
	root := doc
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil, &ParseError{File: p.file, Msg: "empty file: want a hypothesis with a name and metrics"}
		}
		root = doc.Content[0]
	}
	p.lines[""] = root.Line
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, &ParseError{File: p.file, Line: root.Line, Msg: "empty file: want a hypothesis with a name and metrics"}
	}
	var haveName, haveMetrics bool
	err := p.mapping(root, "", hyptopKeys, func(key string, v *yaml.Node) (err error) {
		switch key {
		case "name":
			h.Name, err = p.str(v, key, "the hypothesis's name")
			haveName = true
		case "description":
			_, err = p.scalar(v, key, "a description")
		case "confidence":
			h.Confidence, err = p.number(v, key, "a level in (0, 1), such as 0.95")
			if err == nil && !(h.Confidence > 0 && h.Confidence < 1) {
				hint := ""
				if h.Confidence >= 50 && h.Confidence < 100 {
					hint = fmt.Sprintf(": the level is a fraction, %g rather than %g", h.Confidence/100, h.Confidence)
				}
				err = p.errorf(v, key, "%v is out of range: want a level in (0, 1), such as 0.95%s", h.Confidence, hint)
			}
		case "correction":
			var s string
			if s, err = p.str(v, key, "holm, bh, by or none"); err == nil {
				if h.Correction, err = compare.ParseCorrection(s); err != nil {
					err = p.errorf(v, key, "%v", err)
				}
			}
		case "thresholds":
			var seen [2]bool
			err = p.mapping(v, key, hypthresholdKeys, func(k string, tv *yaml.Node) (err error) {
				path := fieldPath(key, k)
				switch k {
				case "pass":
					h.Thresholds.Pass, err = p.number(tv, path, "a score in (0, 1]")
					seen[0] = true
				case "marginal":
					h.Thresholds.Marginal, err = p.number(tv, path, "a score in [0, pass]")
					seen[1] = true
				}
				return err
			})
			if err == nil {
				// One threshold given: the other keeps its default.
				if !seen[0] {
					h.Thresholds.Pass = DefaultThresholds.Pass
				}
				if !seen[1] {
					h.Thresholds.Marginal = min(DefaultThresholds.Marginal, h.Thresholds.Pass)
				}
			}
		case "groups":
			h.GroupWeights = map[string]float64{}
			err = p.mapping(v, key, nil, func(g string, gv *yaml.Node) (err error) {
				h.GroupWeights[g], err = p.number(gv, fieldPath(key, g), "the group's weight, > 0")
				return err
			})
		case "metrics":
			haveMetrics = true
			err = p.metrics(v, plan)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	switch {
	case !haveName:
		return nil, p.errorf(root, "", "missing field \"name\": every hypothesis needs a name")
	case !haveMetrics:
		return nil, p.errorf(root, "", "missing field \"metrics\": a hypothesis needs at least one metric")
	}
	return plan, nil
}

// metrics walks the metrics list.
func (p *hypParser) metrics(n *yaml.Node, plan *Plan) error {
	if err := p.plain(n, "metrics"); err != nil {
		return err
	}
	if n.Kind != yaml.SequenceNode {
		return p.errorf(n, "metrics", "%s: want a list of metrics (each item starting with \"- name:\")", describeNode(n))
	}
	if len(n.Content) == 0 {
		return p.errorf(n, "metrics", "empty list: a hypothesis needs at least one metric")
	}
	for i, mn := range n.Content {
		path := fmt.Sprintf("metrics[%d]", i)
		var m Metric
		var src MetricSources
		have := map[string]bool{}
		err := p.mapping(mn, path, hypmetricKeys, func(key string, v *yaml.Node) (err error) {
			fp := fieldPath(path, key)
			have[key] = true
			switch key {
			case "name":
				m.Name, err = p.str(v, fp, "the metric's name")
			case "description":
				_, err = p.scalar(v, fp, "a description")
			case "kind":
				var s string
				if s, err = p.str(v, fp, "business or system"); err == nil {
					if m.Kind, err = ParseKind(s); err != nil {
						err = p.errorf(v, fp, "%v", err)
					}
				}
			case "unit":
				m.Unit, err = p.str(v, fp, "the unit of the values")
			case "control":
				src.Control, err = p.source(v, fp)
			case "experiment":
				src.Experiment, err = p.source(v, fp)
			case "history_control":
				src.HistoryControl, err = p.source(v, fp)
			case "history_experiment":
				src.HistoryExperiment, err = p.source(v, fp)
			case "direction":
				var s string
				if s, err = p.str(v, fp, "increase, decrease or either"); err == nil {
					if m.Direction, err = ParseDirection(s); err != nil {
						err = p.errorf(v, fp, "%v", err)
					}
				}
			case "tolerance":
				m.Tolerance, err = p.number(v, fp, "a relative change >= 0, such as 0.05 for 5%")
				err = p.rule(err, v, fp, m.Tolerance)
			case "absolute_tolerance":
				m.AbsoluteTolerance, err = p.number(v, fp, "a change >= 0 in the metric's units")
				err = p.rule(err, v, fp, m.AbsoluteTolerance)
			case "critical":
				m.Critical, err = p.boolean(v, fp)
			case "group":
				m.Group, err = p.str(v, fp, "a group name")
			case "weight":
				m.Weight, err = p.number(v, fp, "a weight > 0")
				err = p.rule(err, v, fp, m.Weight)
			case "test":
				var s string
				if s, err = p.str(v, fp, "a test name"); err == nil {
					if m.Test, err = ParseTest(s); err != nil {
						err = p.errorf(v, fp, "%v", err)
					}
				}
			case "quantile":
				m.Quantile, err = p.number(v, fp, "a quantile in (0, 1), such as 0.99")
				err = p.rule(err, v, fp, m.Quantile)
			case "nodata":
				var s string
				if s, err = p.str(v, fp, "inconclusive, fail or ignore"); err == nil {
					if m.NoData, err = ParseNoDataPolicy(s); err != nil {
						err = p.errorf(v, fp, "%v", err)
					}
				}
			case "min_points":
				m.MinPoints, err = p.integer(v, fp, "a number of points >= 1")
				err = p.rule(err, v, fp, float64(m.MinPoints))
			}
			return err
		})
		if err != nil {
			return err
		}
		for _, k := range []string{"name", "control", "experiment"} {
			if !have[k] {
				return p.errorf(mn, path, "missing field %q", k)
			}
		}
		// A history of one group has nothing to pair with: the test needs
		// the difference of the two, as in the window.
		for _, k := range [][2]string{{"history_control", "history_experiment"}, {"history_experiment", "history_control"}} {
			if have[k[0]] && !have[k[1]] {
				return &ParseError{File: p.file, Line: p.lines[fieldPath(path, k[0])], Field: fieldPath(path, k[0]),
					Msg: fmt.Sprintf("%s without %s: give both groups' history before the experiment, or neither", k[0], k[1])}
			}
		}
		plan.Hypothesis.Metrics = append(plan.Hypothesis.Metrics, m)
		plan.Sources = append(plan.Sources, src)
	}
	return nil
}

// rule returns err, or when it is nil the error of metricNumberRule for
// the metric field at path (its last element the field's key) given v in
// the file at node n: the rule Metric.validate applies, with the file's
// line.
func (p *hypParser) rule(err error, n *yaml.Node, path string, v float64) error {
	if err != nil {
		return err
	}
	key := path[strings.LastIndexByte(path, '.')+1:]
	if msg := metricNumberRule(key, v, true); msg != "" {
		return p.errorf(n, path, "%s", msg)
	}
	return nil
}

// source reads a group's source: a file name, or {file: NAME} or
// {query: PROMQL}.
func (p *hypParser) source(n *yaml.Node, path string) (Source, error) {
	const want = "a file name relative to the hypothesis file, {file: NAME} or {query: PROMQL}"
	if n.Kind == yaml.ScalarNode {
		f, err := p.str(n, path, want)
		return Source{File: f, Line: n.Line}, err
	}
	s := Source{Line: n.Line}
	err := p.mapping(n, path, hypsourceKeys, func(key string, v *yaml.Node) (err error) {
		switch key {
		case "file":
			s.File, err = p.str(v, fieldPath(path, key), "a file name relative to the hypothesis file")
		case "query":
			s.Query, err = p.str(v, fieldPath(path, key), "a PromQL query")
		}
		return err
	})
	switch {
	case err != nil:
		return s, err
	case s.File != "" && s.Query != "":
		return s, p.errorf(n, path, "both file and query: give one")
	case s.File == "" && s.Query == "":
		return s, p.errorf(n, path, "empty: want %s", want)
	}
	return s, nil
}

func hasKey(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggestKey returns the known key closest to key when it is a likely typo
// (edit distance at most 2, or a difference of case or of - for _).
func suggestKey(key string, known []string) string {
	norm := strings.ReplaceAll(strings.ToLower(key), "-", "_")
	best, bestD := "", 3
	for _, k := range known {
		if norm == k {
			return k
		}
		if d := keyDistance(norm, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// keyDistance is the Levenshtein distance between a and b.
func keyDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
