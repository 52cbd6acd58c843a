#!/usr/bin/env python3
"""Differential cases for the core crate's response parsers
(aws-mcp-core/src/protocol/parse): synthetic responses for real operations of
every service, each with what botocore's parsers make of it under awscli's
defaults (timestamps and blobs as sent, ResponseMetadata dropped, the
after-call handlers that change what the CLI prints), and error responses
with the code and message the CLI prints.

    .venv/bin/python tools/testdata/parse-diff.py [OPS_PER_SERVICE] [SEED] > /tmp/cases.jsonl
    AWS_MCP_PARSE_DIFF=/tmp/cases.jsonl cargo test -p aws-mcp-core parse_diff -- --ignored

Runs with the pinned awscli/botocore of tools/catalog-gen (the .venv).
PARSE_DIFF_SERVICES=s3,ec2 limits the services.
"""
import sys, json, random, base64
import botocore.session
from botocore.parsers import ResponseParserFactory, ResponseParserError
from botocore.awsrequest import HeadersDict
import botocore.handlers as h
from botocore.utils import parse_timestamp
import os, time
os.environ['TZ'] = 'UTC'
time.tzset()
from xml.sax.saxutils import escape

MAXOPS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)

sess = botocore.session.get_session()
fac = ResponseParserFactory()
fac.set_parser_defaults(timestamp_parser=lambda x: x, blob_parser=lambda x: x)
# cli_timestamp_format = iso8601 (epoch numbers in the local zone: run with TZ=UTC).
fac_iso = ResponseParserFactory()
fac_iso.set_parser_defaults(timestamp_parser=lambda x: parse_timestamp(x).isoformat(), blob_parser=lambda x: x)
SUPPORTED = ('query', 'ec2', 'json', 'rest-json', 'rest-xml')

def sval(shape, proto, where='body'):
    t = shape.type_name
    if t == 'string':
        if shape.enum: return rnd.choice(shape.enum)
        return rnd.choice(['abc', 'x y', 'a&b<c>', '', 'üñí', '12', 'true', 'line1\nline2'])
    if t in ('integer', 'long'): return rnd.choice([0, 7, -3, 123456789012])
    if t in ('float', 'double'): return rnd.choice([1.5, 0.25, 2.0, 3])
    if t == 'boolean': return rnd.choice([True, False])
    if t == 'timestamp':
        fmt = shape.serialization.get('timestampFormat')
        if fmt is None:
            fmt = 'rfc822' if where == 'header' else ('unixTimestamp' if proto in ('json', 'rest-json') else 'iso8601')
        if fmt == 'unixTimestamp': return rnd.choice([1704067200, 1704067200.5, 1.7040672E9])
        if fmt == 'rfc822': return 'Tue, 02 Jan 2024 03:04:05 GMT'
        return rnd.choice(['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.123Z', '2024-01-02T03:04:05+01:00'])
    if t == 'blob': return base64.b64encode(rnd.choice([b'hello', b'\x00\xff', b''])).decode()
    raise ValueError(t)

def xml_text(v):
    if isinstance(v, bool): return 'true' if v else 'false'
    if isinstance(v, float) and v.is_integer() and rnd.random() < 0.5: return '%d' % v
    return escape(str(v))

def gen_xml(shape, name, proto, depth, flat_ok=True):
    """Return XML text for one element called `name` holding `shape`."""
    t = shape.type_name
    if t == 'structure':
        inner = ''
        if depth > 3: return '<%s/>' % name
        attrs = ''
        for mname, m in shape.members.items():
            if m.serialization.get('location') in ('header', 'headers', 'statusCode', 'uri', 'querystring'): continue
            if rnd.random() < 0.2: continue
            if m.serialization.get('xmlAttribute'):
                loc = m.serialization.get('name') or mname
                if ':' in loc:
                    attrs += ' xmlns:%s="http://www.w3.org/2001/XMLSchema-instance"' % loc.split(':')[0]
                attrs += ' %s="%s"' % (loc, xml_text(sval(m, proto)).replace('"', '&quot;'))
                continue
            inner += gen_member_xml(m, mname, proto, depth + 1)
        return '<%s%s>%s</%s>' % (name, attrs, inner, name)
    if t == 'list':
        item = shape.member.serialization.get('name') or ('item' if proto == 'ec2' else 'member')
        n = rnd.choice([0, 1, 2]) if depth <= 3 else 0
        return '<%s>%s</%s>' % (name, ''.join(gen_xml(shape.member, item, proto, depth + 1) for _ in range(n)), name)
    if t == 'map':
        k = shape.key.serialization.get('name') or 'key'
        v = shape.value.serialization.get('name') or 'value'
        n = rnd.choice([0, 1, 2]) if depth <= 3 else 0
        es = ''
        for i in range(n):
            es += '<entry>%s%s</entry>' % ('<%s>k%d</%s>' % (k, i, k), gen_xml(shape.value, v, proto, depth + 1))
        return '<%s>%s</%s>' % (name, es, name)
    return '<%s>%s</%s>' % (name, xml_text(sval(shape, proto)), name)

def gen_member_xml(m, mname, proto, depth):
    t = m.type_name
    if t == 'list' and m.serialization.get('flattened'):
        name = m.member.serialization.get('name') or m.serialization.get('name') or mname
        n = rnd.choice([1, 2]) if depth <= 3 else 0
        return ''.join(gen_xml(m.member, name, proto, depth + 1) for _ in range(n))
    if t == 'map' and m.serialization.get('flattened'):
        name = m.serialization.get('name') or mname
        k = m.key.serialization.get('name') or 'key'
        v = m.value.serialization.get('name') or 'value'
        return ''.join('<%s><%s>k%d</%s>%s</%s>' % (name, k, i, k, gen_xml(m.value, v, proto, depth + 1), name) for i in range(2))
    return gen_xml(m, m.serialization.get('name') or mname, proto, depth)

def gen_json(shape, proto, depth):
    t = shape.type_name
    if t == 'structure':
        if shape.metadata.get('document'): return {'doc': [1, 'x']}
        out = {}
        if depth > 3: return out
        members = list(shape.members.items())
        if shape.metadata.get('union') and members:
            members = [rnd.choice(members)]
        for mname, m in members:
            if m.serialization.get('location') in ('header', 'headers', 'statusCode', 'uri', 'querystring'): continue
            if rnd.random() < 0.2 and not shape.metadata.get('union'): continue
            out[m.serialization.get('name', mname)] = gen_json(m, proto, depth + 1)
        return out
    if t == 'list':
        n = rnd.choice([0, 1, 2]) if depth <= 3 else 0
        return [gen_json(shape.member, proto, depth + 1) for _ in range(n)]
    if t == 'map':
        n = rnd.choice([0, 1, 2]) if depth <= 3 else 0
        return {'k%d' % i: gen_json(shape.value, proto, depth + 1) for i in range(n)}
    return sval(shape, proto)

def header_text(m, proto):
    t = m.type_name
    if t == 'list':
        return ', '.join(str(header_text(m.member, proto)) for _ in range(2))
    if t == 'string' and m.serialization.get('jsonvalue'):
        return base64.b64encode(json.dumps({'a': [1, 2]}).encode()).decode()
    v = sval(m, proto, 'header')
    if isinstance(v, bool): return 'true' if v else 'false'
    return str(v)

def post_handlers(model, op, opname, parsed):
    sid = model.metadata.get('serviceId')
    if sid == 'IAM': h.json_decode_policies(parsed, op)
    if sid == 'EC2' and opname == 'GetConsoleOutput': h.decode_console_output(parsed)
    if sid == 'CloudFormation' and opname == 'GetTemplate': h.json_decode_template_body(parsed)


def gen_case(svc, model, opname):
    op = model.operation_model(opname)
    out = op.output_shape
    proto = (model.metadata.get('protocols') or [model.metadata['protocol']])[0]
    headers = {}
    body = ''
    status = op.http.get('responseCode', 200)
    if out is None: return None
    if proto in ('query', 'ec2'):
        inner = ''.join(gen_member_xml(m, n, proto, 1) for n, m in out.members.items() if rnd.random() > 0.2)
        ns = model.metadata.get('xmlNamespace', '')
        if proto == 'query':
            wrapper = out.serialization.get('resultWrapper')
            if wrapper:
                inner = '<%s>%s</%s>' % (wrapper, inner, wrapper)
            body = '<%sResponse xmlns="%s">%s<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></%sResponse>' % (opname, ns, inner, opname)
        else:
            body = '<%sResponse xmlns="%s"><requestId>rid</requestId>%s</%sResponse>' % (opname, ns, inner, opname)
    elif proto == 'json':
        body = json.dumps(gen_json(out, proto, 0))
    else:
        for n, m in out.members.items():
            loc = m.serialization.get('location')
            if loc == 'header' and rnd.random() > 0.3:
                headers[m.serialization.get('name', n)] = header_text(m, proto)
            elif loc == 'headers':
                prefix = m.serialization.get('name', '')
                headers[prefix + 'one'] = 'v1'
            elif loc == 'statusCode':
                status = 200
        payload = out.serialization.get('payload')
        if payload:
            pm = out.members[payload]
            if pm.type_name in ('blob', 'string'):
                if pm.serialization.get('eventstream') or pm.type_name == 'structure': return None
                body = 'payload text'
            elif pm.serialization.get('eventstream'):
                return None
            else:
                if proto == 'rest-json':
                    body = json.dumps(gen_json(pm, proto, 1))
                else:
                    body = gen_xml(pm, pm.serialization.get('name') or payload, proto, 1)
        else:
            if any(m.serialization.get('eventstream') for m in out.members.values()): return None
            if proto == 'rest-json':
                body = json.dumps(gen_json(out, proto, 0))
            else:
                name = out.serialization.get('name') or opname + 'Result'
                body = gen_xml(out, name, proto, 0)
    resp = {'status_code': status, 'headers': HeadersDict(headers), 'body': body.encode(), 'context': {'operation_name': opname}}
    expected_headers = dict(headers)
    parser = fac.create_parser(proto)
    customized = {}
    if model.metadata.get('serviceId') == 'S3':
        h.handle_expires_header(op, resp, customized)
    try:
        parsed = parser.parse(resp, out)
    except ResponseParserError as e:
        e.case = {'service': svc, 'op': opname, 'status': status, 'headers': list(expected_headers.items()), 'body': body}
        raise
    parsed.update(customized)
    parsed.pop('ResponseMetadata', None)
    if model.metadata.get('serviceId') == 'S3' and opname == 'GetBucketLocation': return None
    iso = None
    try:
        iso = fac_iso.create_parser(proto).parse(resp, out)
        iso.update(customized)
        iso.pop('ResponseMetadata', None)
        post_handlers(model, op, opname, iso)
    except ValueError:
        pass
    post_handlers(model, op, opname, parsed)
    payload = out.serialization.get('payload')
    if payload and out.members[payload].serialization.get('streaming'):
        if iso is not None:
            iso.pop(payload, None)
        # The CLI writes a streamed body to its outfile and drops the key.
        parsed.pop(payload, None)
    return {'service': svc, 'op': opname, 'status': status, 'headers': list(expected_headers.items()), 'body': body, 'expected': parsed, 'expected_iso8601': iso}


CODES = ['NoSuchEntity', 'Throttling', 'InvalidParameterValue', 'AccessDenied', 'ValidationException']
MSGS = ['Rate exceeded', 'a & b', '', 'üñí not found']

def variants(proto):
    c, m = rnd.choice(CODES), rnd.choice(MSGS)
    st = rnd.choice([400, 403, 404, 409, 500, 503])
    if proto == 'query':
        yield st, {}, '<ErrorResponse xmlns="https://x/doc/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>r1</RequestId></ErrorResponse>' % (c, m.replace('&', '&amp;'))
        yield st, {}, '<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code></Error><RequestId>r1</RequestId></ErrorResponse>' % c
        yield st, {'x-amzn-RequestId': 'h1'}, '<ErrorResponse><Error><Code>%s</Code><Message/></Error></ErrorResponse>' % c
    elif proto == 'ec2':
        yield st, {}, '<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>r2</RequestID></Response>' % (c, m.replace('&', '&amp;'))
        yield st, {}, '<Response><Errors><Error><Code>%s</Code></Error></Errors></Response>' % c
    elif proto in ('json', 'rest-json'):
        body = {'__type': rnd.choice([c, 'com.amazonaws.svc#' + c, c + ':http://internal/'])}
        body[rnd.choice(['message', 'Message'])] = m
        yield st, {'x-amzn-RequestId': 'j1'}, json.dumps(body)
        yield st, {'x-amzn-RequestId': 'j1', 'x-amzn-query-error': 'AWS.Legacy.%s;Sender' % c}, json.dumps(body)
        yield st, {}, json.dumps({'message': m})
        yield st, {}, 'Service is unhappy'
        yield 500, {}, ''
        yield 503, {}, '<html><body>busy</body></html>'
        if proto == 'rest-json':
            yield st, {'x-amzn-ErrorType': c + ':http://internal.amazon.com/coral/com.amazon.x/'}, json.dumps({'Message': m})
            yield st, {}, json.dumps({'code': 'ns#' + c, 'message': m})
            yield st, {}, json.dumps({'Code': c, 'Message': m})
    elif proto == 'rest-xml':
        yield st, {'x-amz-request-id': 's1'}, '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message><RequestId>s1</RequestId><HostId>h</HostId></Error>' % (c, m.replace('&', '&amp;'))
        yield st, {'x-amz-request-id': 's1'}, '<Error><Code>%s</Code></Error>' % c
        yield st, {}, '<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>r3</RequestId></ErrorResponse>' % (c, m.replace('&', '&amp;'))
        yield rnd.choice([301, 400, 403, 404, 412]), {'x-amz-request-id': 's2'}, ''
        yield st, {}, 'not xml'
        yield 503, {}, '<html><body>busy</body></html>'


def has_element_repr(v):
    # botocore prints a scalar given repeated elements as a list of
    # ElementTree reprs; not worth copying.
    return '<Element ' in json.dumps(v, default=str)


def error_cases(svc, model, proto):
    ops = list(model.operation_names)
    for opname in rnd.sample(ops, min(2, len(ops))):
        op = model.operation_model(opname)
        for status, headers, body in variants(proto):
            resp = {'status_code': status, 'headers': HeadersDict(headers), 'body': body.encode(), 'context': {'operation_name': opname}}
            parsed = fac.create_parser(proto).parse(resp, op.output_shape)
            err = parsed.get('Error', {})
            code, msg = err.get('Code', 'Unknown'), err.get('Message', 'Unknown')
            yield {'service': svc, 'op': opname, 'status': status, 'headers': list(headers.items()), 'body': body, 'error': [str(code), str(msg)]}


only = [x for x in os.environ.get('PARSE_DIFF_SERVICES', '').split(',') if x]
n = 0
for svc in sess.get_available_services():
    if only and svc not in only:
        continue
    model = sess.get_service_model(svc)
    proto = (model.metadata.get('protocols') or [model.metadata['protocol']])[0]
    if proto not in SUPPORTED:
        continue
    ops = list(model.operation_names)
    rnd.shuffle(ops)
    for opname in ops[:MAXOPS]:
        try:
            c = gen_case(svc, model, opname)
        except ResponseParserError as e:
            # botocore rejects the response (a union with no member set):
            # the Rust parser must answer BadResponse.
            c = e.case
            c['raises'] = str(e)
            c.pop('expected', None)
        except AttributeError:
            continue  # an event stream botocore wants a live stream for
        if c and not has_element_repr(c.get('expected')):
            print(json.dumps(c, default=str))
            n += 1
    for c in error_cases(svc, model, proto):
        print(json.dumps(c))
        n += 1
print(n, 'cases', file=sys.stderr)
