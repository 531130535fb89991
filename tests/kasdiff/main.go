// kasdiff: what GitLab's agent server (KAS) decides about config.yaml files,
// decided by the real libraries KAS uses, for the differential test
// tests/cli/test_kasdiff.py.
//
// KAS (internal/module/agent_configuration/server, parseYAMLToConfiguration):
// a size limit (128 KiB), sigs.k8s.io/yaml.YAMLToJSON (go-yaml v2 underneath),
// JSON null as the empty configuration, protojson.Unmarshal with default
// options (unknown fields are an error), then the protoc-gen-validate rules.
//
// The message descriptor is not GitLab's generated code: it is built here,
// at test time, from agentlint's own schema data (schemas/agentcfg.yaml) for
// one GitLab version, and used through dynamicpb. So the real yaml.v2 and
// protojson decide every parse question (scalar typing, enums, durations,
// nulls, unknown and duplicate fields) and the schema's content is what
// agentlint believes. The protoc-gen-validate rules are not protojson: they
// are modelled below from the same schema data (required, min_len,
// item_min_len, min_items, min/max, positive, enum lists of strings, and the
// oneof "required" option).
//
// Usage: kasdiff SCHEMA.yaml VERSION FILE... (FILE "-": names on standard input)
// Writes one line per file: "accept<TAB>FILE" or "reject<TAB>FILE<TAB>why";
// with KASDIFF_JSON=1 an accepted file's line also carries the JSON the agent
// server parsed (YAMLToJSON's output), for the JSON Schema test.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"
	yamlv2 "gopkg.in/yaml.v2"
	"sigs.k8s.io/yaml"
)

const maxFileSize = 128 * 1024 // defaultAgentConfigurationMaxConfigurationFileSize

type field struct {
	name                    string
	typ, shape              string // shape: one, list, map
	required, positive      bool
	minLen, itemMin, minItm int
	hasMin, hasMax          bool
	min, max                int64
	enum                    []string
	protoEnum               bool
	since, removed          int
}

type stype struct {
	name   string
	oneof  string
	fields []field
}

type schema struct {
	root  string
	types map[string]*stype
	order []string
}

func version(s string) int {
	if s == "" {
		return 0
	}
	p := strings.SplitN(s, ".", 2)
	a, _ := strconv.Atoi(p[0])
	b := 0
	if len(p) > 1 {
		b, _ = strconv.Atoi(p[1])
	}
	return a*100 + b
}

func get(m yamlv2.MapSlice, k string) interface{} {
	for _, it := range m {
		if fmt.Sprint(it.Key) == k {
			return it.Value
		}
	}
	return nil
}

func str(v interface{}) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func num(v interface{}) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}

func loadSchema(path string) (*schema, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yamlv2.MapSlice
	if err := yamlv2.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	s := &schema{root: str(get(doc, "root")), types: map[string]*stype{}}
	types, _ := get(doc, "types").(yamlv2.MapSlice)
	for _, t := range types {
		spec, _ := t.Value.(yamlv2.MapSlice)
		st := &stype{name: str(t.Key), oneof: str(get(spec, "oneof"))}
		fields, _ := get(spec, "fields").(yamlv2.MapSlice)
		for _, f := range fields {
			fs, _ := f.Value.(yamlv2.MapSlice)
			fd := field{name: str(f.Key), shape: "one"}
			if v := get(fs, "type"); v != nil {
				fd.typ = str(v)
			} else if v := get(fs, "list"); v != nil {
				fd.typ, fd.shape = str(v), "list"
			} else {
				fd.typ, fd.shape = str(get(fs, "map")), "map"
			}
			fd.required, _ = get(fs, "required").(bool)
			fd.positive, _ = get(fs, "positive").(bool)
			fd.protoEnum, _ = get(fs, "proto_enum").(bool)
			n, _ := num(get(fs, "min_len"))
			fd.minLen = int(n)
			n, _ = num(get(fs, "item_min_len"))
			fd.itemMin = int(n)
			n, _ = num(get(fs, "min_items"))
			fd.minItm = int(n)
			fd.min, fd.hasMin = num(get(fs, "min"))
			fd.max, fd.hasMax = num(get(fs, "max"))
			if e, ok := get(fs, "enum").([]interface{}); ok {
				for _, v := range e {
					fd.enum = append(fd.enum, str(v))
				}
			}
			fd.since = version(str(get(fs, "since")))
			fd.removed = version(str(get(fs, "removed")))
			st.fields = append(st.fields, fd)
		}
		s.types[st.name] = st
		s.order = append(s.order, st.name)
	}
	return s, nil
}

// present: the field exists in the agent server's schema of this version.
// `unconfirmed` fields are kept: agentlint accepts them (with a warning).
func (f *field) present(v int) bool {
	return (f.since == 0 || v >= f.since) && (f.removed == 0 || v < f.removed)
}

const pkg = "agentlint.kasdiff"

func enumName(t, f string) string { return t + "_" + f + "_Enum" }

// buildFile turns the schema into a FileDescriptorProto for one version.
func buildFile(s *schema, ver int) *descriptorpb.FileDescriptorProto {
	fdp := &descriptorpb.FileDescriptorProto{
		Name:       proto.String("kasdiff.proto"),
		Package:    proto.String(pkg),
		Syntax:     proto.String("proto3"),
		Dependency: []string{"google/protobuf/duration.proto", "google/protobuf/struct.proto"},
	}
	fdp.MessageType = append(fdp.MessageType, &descriptorpb.DescriptorProto{Name: proto.String("Empty")})
	for _, tn := range s.order {
		t := s.types[tn]
		m := &descriptorpb.DescriptorProto{Name: proto.String(tn)}
		if t.oneof != "" {
			m.OneofDecl = append(m.OneofDecl, &descriptorpb.OneofDescriptorProto{Name: proto.String("as")})
		}
		for i := range t.fields {
			f := &t.fields[i]
			if !f.present(ver) {
				continue
			}
			num := int32(i + 1)
			fp := &descriptorpb.FieldDescriptorProto{
				Name:     proto.String(f.name),
				JsonName: proto.String(f.name), // KAS sets json_name to the snake_case name
				Number:   proto.Int32(num),
				Label:    descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
			}
			setType(fp, f, tn, m, fdp)
			if t.oneof != "" {
				fp.OneofIndex = proto.Int32(0)
			} else if f.shape == "one" && (f.typ == "int" || (f.typ == "string" && !f.protoEnum)) {
				// proto3 optional, so the rules see whether the key was set:
				// agentlint checks min_len, min and max on a key that is present,
				// and `required` on its presence
				fp.Proto3Optional = proto.Bool(true)
				fp.OneofIndex = proto.Int32(int32(len(m.OneofDecl)))
				m.OneofDecl = append(m.OneofDecl, &descriptorpb.OneofDescriptorProto{Name: proto.String("_" + f.name)})
			}
			switch f.shape {
			case "list":
				fp.Label = descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum()
			case "map":
				entry := &descriptorpb.DescriptorProto{
					Name:    proto.String(mapEntryName(f.name)),
					Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)},
					Field: []*descriptorpb.FieldDescriptorProto{
						{Name: proto.String("key"), JsonName: proto.String("key"), Number: proto.Int32(1),
							Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
							Type:  descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum()},
						{Name: proto.String("value"), JsonName: proto.String("value"), Number: proto.Int32(2),
							Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
							Type:  fp.Type, TypeName: fp.TypeName},
					},
				}
				m.NestedType = append(m.NestedType, entry)
				fp.Label = descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum()
				fp.Type = descriptorpb.FieldDescriptorProto_TYPE_MESSAGE.Enum()
				fp.TypeName = proto.String("." + pkg + "." + tn + "." + mapEntryName(f.name))
			}
			m.Field = append(m.Field, fp)
		}
		fdp.MessageType = append(fdp.MessageType, m)
	}
	return fdp
}

func mapEntryName(n string) string {
	parts := strings.Split(n, "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "") + "Entry"
}

func setType(fp *descriptorpb.FieldDescriptorProto, f *field, tn string, m *descriptorpb.DescriptorProto,
	fdp *descriptorpb.FileDescriptorProto) {
	msg := func(name string) {
		fp.Type = descriptorpb.FieldDescriptorProto_TYPE_MESSAGE.Enum()
		fp.TypeName = proto.String(name)
	}
	switch f.typ {
	case "string":
		if f.protoEnum {
			e := &descriptorpb.EnumDescriptorProto{Name: proto.String(enumName(tn, f.name))}
			for i, v := range f.enum {
				e.Value = append(e.Value, &descriptorpb.EnumValueDescriptorProto{
					Name: proto.String(v), Number: proto.Int32(int32(i))})
			}
			// Enum values are scoped beside their enum: one holder message per
			// enum keeps level and grpc_level (both info, debug, ...) apart.
			holder := enumName(tn, f.name) + "Scope"
			fdp.MessageType = append(fdp.MessageType, &descriptorpb.DescriptorProto{
				Name: proto.String(holder), EnumType: []*descriptorpb.EnumDescriptorProto{e}})
			fp.Type = descriptorpb.FieldDescriptorProto_TYPE_ENUM.Enum()
			fp.TypeName = proto.String("." + pkg + "." + holder + "." + enumName(tn, f.name))
		} else {
			fp.Type = descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum()
		}
	case "bool":
		fp.Type = descriptorpb.FieldDescriptorProto_TYPE_BOOL.Enum()
	case "int":
		fp.Type = descriptorpb.FieldDescriptorProto_TYPE_INT32.Enum()
	case "duration":
		msg(".google.protobuf.Duration")
	case "empty":
		msg("." + pkg + ".Empty")
	case "any":
		msg(".google.protobuf.Value")
	default:
		msg("." + pkg + "." + f.typ)
	}
}

// ---- protoc-gen-validate, modelled from the schema data ----

func validate(s *schema, m protoreflect.Message) error {
	t := s.types[string(m.Descriptor().Name())]
	if t == nil {
		return nil
	}
	fds := m.Descriptor().Fields()
	set := 0
	for i := range t.fields {
		f := &t.fields[i]
		fd := fds.ByName(protoreflect.Name(f.name))
		if fd == nil {
			continue
		}
		has := m.Has(fd)
		if has && t.oneof != "" {
			set++
		}
		if err := validateField(s, t, f, fd, m, has); err != nil {
			return err
		}
	}
	if t.oneof == "required" && set == 0 {
		return fmt.Errorf("invalid %s: oneof value is required", t.name)
	}
	return nil
}

func validateField(s *schema, t *stype, f *field, fd protoreflect.FieldDescriptor, m protoreflect.Message, has bool) error {
	where := t.name + "." + f.name
	inOneof := t.oneof != ""
	switch {
	case fd.IsList():
		l := m.Get(fd).List()
		if l.Len() < f.minItm {
			return fmt.Errorf("invalid %s: value must contain at least %d item(s)", where, f.minItm)
		}
		for i := 0; i < l.Len(); i++ {
			if err := validateValue(s, f, fd, l.Get(i), true); err != nil {
				return fmt.Errorf("invalid %s[%d]: %v", where, i, err)
			}
		}
	case fd.IsMap():
		var err error
		m.Get(fd).Map().Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
			err = validateValue(s, f, fd.MapValue(), v, true)
			return err == nil
		})
		return err
	case fd.Kind() == protoreflect.MessageKind:
		if !has {
			if f.required {
				return fmt.Errorf("invalid %s: value is required", where)
			}
			return nil
		}
		if err := validateValue(s, f, fd, m.Get(fd), false); err != nil {
			return fmt.Errorf("invalid %s: %v", where, err)
		}
	default:
		if inOneof && !has {
			return nil // only the member that is set is validated
		}
		if !has && fd.HasPresence() {
			if f.required {
				return fmt.Errorf("invalid %s: value is required", where)
			}
			return nil
		}
		if err := validateValue(s, f, fd, m.Get(fd), false); err != nil {
			return fmt.Errorf("invalid %s: %v", where, err)
		}
	}
	return nil
}

func validateValue(s *schema, f *field, fd protoreflect.FieldDescriptor, v protoreflect.Value, item bool) error {
	switch fd.Kind() {
	case protoreflect.StringKind:
		min := f.minLen
		if item {
			min = f.itemMin
		}
		if len(v.String()) < min {
			return fmt.Errorf("value length must be at least %d bytes", min)
		}
		if len(f.enum) > 0 {
			for _, e := range f.enum {
				if e == v.String() {
					return nil
				}
			}
			return fmt.Errorf("value must be in list %v", f.enum)
		}
	case protoreflect.Int32Kind:
		n := v.Int()
		if (f.hasMin && n < f.min) || (f.hasMax && n > f.max) {
			return fmt.Errorf("value %d out of range", n)
		}
	case protoreflect.MessageKind:
		msg := v.Message()
		if msg.Descriptor().FullName() == "google.protobuf.Duration" {
			secs := msg.Get(msg.Descriptor().Fields().ByName("seconds")).Int()
			nanos := msg.Get(msg.Descriptor().Fields().ByName("nanos")).Int()
			if f.positive && (secs < 0 || (secs == 0 && nanos <= 0)) {
				return fmt.Errorf("value must be greater than 0s")
			}
			return nil
		}
		return validate(s, msg)
	}
	return nil
}

// decide is KAS's parseYAMLToConfiguration followed by ValidateAll; it also
// returns the JSON that was parsed.
func decide(s *schema, md protoreflect.MessageDescriptor, data []byte) ([]byte, error) {
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("file size %d exceeds %d", len(data), maxFileSize)
	}
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("YAMLToJSON: %v", err)
	}
	msg := dynamicpb.NewMessage(md)
	if string(js) == "null" {
		return js, nil // empty file: empty configuration
	}
	if err := protojson.Unmarshal(js, msg); err != nil {
		return js, fmt.Errorf("protojson: %v", err)
	}
	return js, validate(s, msg)
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: kasdiff SCHEMA.yaml VERSION FILE...")
		os.Exit(2)
	}
	s, err := loadSchema(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "kasdiff: schema:", err)
		os.Exit(2)
	}
	files := new(protoregistry.Files)
	files.RegisterFile(durationpb.File_google_protobuf_duration_proto)
	files.RegisterFile(structpb.File_google_protobuf_struct_proto)
	fd, err := protodesc.NewFile(buildFile(s, version(os.Args[2])), files)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kasdiff: descriptor:", err)
		os.Exit(2)
	}
	md := fd.Messages().ByName(protoreflect.Name(s.root))
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	paths := os.Args[3:]
	if len(paths) == 1 && paths[0] == "-" { // file names on standard input
		paths = nil
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			paths = append(paths, sc.Text())
		}
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "kasdiff:", err)
			os.Exit(2)
		}
		js, err := decide(s, md, data)
		if err != nil {
			fmt.Fprintf(out, "reject\t%s\t%s\n", p, strings.ReplaceAll(err.Error(), "\n", " "))
		} else if os.Getenv("KASDIFF_JSON") != "" {
			fmt.Fprintf(out, "accept\t%s\t%s\n", p, js)
		} else {
			fmt.Fprintf(out, "accept\t%s\n", p)
		}
	}
}
