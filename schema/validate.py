#!/usr/bin/env python3
# validate.py - validates a JSON document against the thinhv JSON Schemas in
# this directory (host, python3 stdlib only; no pip). Implements the subset
# of JSON Schema 2020-12 those schemas use and refuses any other keyword, so
# a schema edit cannot silently stop being checked:
#   type, properties, required, additionalProperties (false or schema),
#   items, enum, const, pattern, minimum, maximum, minItems,
#   $ref ("#/..." or "FILE#/..." beside the schema), $defs.
# Usage: validate.py SCHEMA.json [DOC.json|-]   -> exit 0 valid, 1 invalid,
# 2 usage/schema error; each violation printed as "JSON-pointer: problem".
import json
import os
import re
import sys

ANNOTATIONS = {'$schema', '$id', 'title', 'description', '$defs'}
KNOWN = ANNOTATIONS | {'type', 'properties', 'required', 'additionalProperties',
                       'items', 'enum', 'const', 'pattern', 'minimum', 'maximum',
                       'minItems', '$ref'}


class SchemaError(Exception):
    pass


class Validator:
    def __init__(self, schema_path):
        self.dir = os.path.dirname(os.path.abspath(schema_path))
        self.docs = {}
        self.root_name = os.path.basename(schema_path)
        self.errors = []

    def load(self, name):
        if name not in self.docs:
            if '/' in name or name.startswith('.'):
                raise SchemaError('refusing $ref outside the schema directory: ' + name)
            with open(os.path.join(self.dir, name)) as f:
                self.docs[name] = json.load(f)
        return self.docs[name]

    def resolve(self, ref, base):
        name, _, frag = ref.partition('#')
        name = name or base
        node = self.load(name)
        for part in [p for p in frag.split('/') if p]:
            if not isinstance(node, dict) or part not in node:
                raise SchemaError('unresolvable $ref ' + ref)
            node = node[part]
        return node, name

    @staticmethod
    def type_ok(value, t):
        if t == 'object':
            return isinstance(value, dict)
        if t == 'array':
            return isinstance(value, list)
        if t == 'string':
            return isinstance(value, str)
        if t == 'boolean':
            return isinstance(value, bool)
        if t == 'null':
            return value is None
        if t == 'integer':
            return isinstance(value, int) and not isinstance(value, bool)
        if t == 'number':
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        raise SchemaError('unknown type ' + t)

    def check(self, value, schema, where, base):
        if not isinstance(schema, dict):
            raise SchemaError('schema at %s is not an object' % where)
        unknown = set(schema) - KNOWN
        if unknown:
            raise SchemaError('unsupported keyword(s) %s at %s' % (sorted(unknown), where))
        if '$ref' in schema:
            target, tbase = self.resolve(schema['$ref'], base)
            self.check(value, target, where, tbase)
        err = self.errors.append
        if 'type' in schema:
            types = schema['type'] if isinstance(schema['type'], list) else [schema['type']]
            if not any(self.type_ok(value, t) for t in types):
                err('%s: expected %s, got %s' % (where or '/', '|'.join(types), json.dumps(value)[:60]))
                return
        if 'const' in schema and value != schema['const']:
            err('%s: expected %s' % (where or '/', json.dumps(schema['const'])))
        if 'enum' in schema and value not in schema['enum']:
            err('%s: %s not one of %s' % (where or '/', json.dumps(value), schema['enum']))
        if isinstance(value, str) and 'pattern' in schema:
            if not re.search(schema['pattern'], value):
                err('%s: %r does not match %s' % (where or '/', value, schema['pattern']))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if 'minimum' in schema and value < schema['minimum']:
                err('%s: %s < minimum %s' % (where, value, schema['minimum']))
            if 'maximum' in schema and value > schema['maximum']:
                err('%s: %s > maximum %s' % (where, value, schema['maximum']))
        if isinstance(value, dict):
            props = schema.get('properties', {})
            for r in schema.get('required', []):
                if r not in value:
                    err('%s: missing required property %r' % (where or '/', r))
            for k, v in value.items():
                if k in props:
                    self.check(v, props[k], where + '/' + k, base)
                elif 'additionalProperties' in schema:
                    ap = schema['additionalProperties']
                    if ap is False:
                        err('%s: unexpected property %r' % (where or '/', k))
                    elif isinstance(ap, dict):
                        self.check(v, ap, where + '/' + k, base)
        if isinstance(value, list):
            if 'minItems' in schema and len(value) < schema['minItems']:
                err('%s: fewer than %d items' % (where or '/', schema['minItems']))
            if 'items' in schema:
                for i, v in enumerate(value):
                    self.check(v, schema['items'], '%s/%d' % (where, i), base)

    def validate(self, doc):
        self.check(doc, self.load(self.root_name), '', self.root_name)
        return self.errors


def main(argv):
    if len(argv) not in (2, 3):
        print('usage: validate.py SCHEMA.json [DOC.json|-]', file=sys.stderr)
        return 2
    src = sys.stdin if len(argv) == 2 or argv[2] == '-' else open(argv[2])
    try:
        doc = json.load(src)
    except ValueError as e:
        print('document: not JSON: %s' % e)
        return 1
    try:
        errors = Validator(argv[1]).validate(doc)
    except (SchemaError, OSError, ValueError) as e:
        print('schema error: %s' % e, file=sys.stderr)
        return 2
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
