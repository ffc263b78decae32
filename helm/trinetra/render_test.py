#!/usr/bin/env python3
"""Checks the Helm chart without Helm (not installable on our machines; deploy/check.sh runs this).

A tiny renderer for the subset of Helm's template language the chart keeps to, on purpose:
  {{ .Values.a.b }}  {{ .Release.Name }}  {{ .Release.Namespace }}  {{ .Chart.Name }}
  {{ .Values.x | quote }}  {{ toYaml .Values.x | nindent N }}  {{ .Files.Get "f" | indent N }}
  {{ if .Values.x }} / {{ if not .Values.x }} / {{ else }} / {{ end }}  (nesting allowed)
  {{- and -}} trim whitespace before / after, as in Go templates.
Anything else (include, define, default, range, ...) is an error here, which keeps the chart
plain enough for this check to mean something. A missing value is an error too (Helm would
print "<no value>").

It renders every template with the default values (and with a second set of values that turns
on the alternatives: no KEDA but the HPA, an existing Secret), parses each result as YAML,
runs yamllint on it, and asserts what the chart promises (replicas, probes, GPU resources,
PDBs, the KEDA list name, the PrometheusRule equal to deploy/prometheus/rules.yml).
"""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

CHART = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(CHART))
ACTION = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.S)


class RenderError(Exception):
    pass


def lookup(ctx, path):
    node = ctx
    for part in path.lstrip(".").split("."):
        if not isinstance(node, dict) or part not in node:
            raise RenderError(f"no value at {path}")
        node = node[part]
    return node


def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        raise RenderError("null value printed")
    if isinstance(value, (dict, list)):
        raise RenderError(f"a map or list printed without toYaml: {value!r}")
    return str(value)


def evaluate(expr, ctx):
    stages = [s.strip() for s in expr.split("|")]
    head = stages[0]
    m = re.fullmatch(r'\.Files\.Get\s+"([^"]+)"', head)
    if m:
        with open(os.path.join(CHART, m.group(1)), encoding="utf-8") as f:
            value = f.read()
    elif head.startswith("toYaml "):
        value = yaml.safe_dump(lookup(ctx, head[len("toYaml "):].strip()), default_flow_style=False, sort_keys=True).rstrip("\n")
    elif re.fullmatch(r"\.[A-Za-z0-9_.]+", head):
        value = scalar(lookup(ctx, head))
    else:
        raise RenderError(f"unsupported expression: {head}")
    for stage in stages[1:]:
        if stage == "quote":
            value = json.dumps(value)
        elif m := re.fullmatch(r"(n?)indent\s+(\d+)", stage):
            pad = " " * int(m.group(2))
            value = "\n".join(pad + line if line else line for line in value.split("\n"))
            if m.group(1):
                value = "\n" + value
        else:
            raise RenderError(f"unsupported function: {stage}")
    return value


def truthy(value):
    return value not in (None, False, 0, "", [], {})


def render(text, ctx):
    out = []
    # Stack of (this branch renders, some branch of this if already rendered).
    stack = []
    pos = 0
    for m in ACTION.finditer(text):
        literal = text[pos:m.start()]
        if m.group(1):
            literal = literal.rstrip()
        if all(active for active, _ in stack):
            out.append(literal)
        pos = m.end()
        if m.group(3):
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
        action = m.group(2)
        if action.startswith("if "):
            cond = action[3:].strip()
            negate = cond.startswith("not ")
            if negate:
                cond = cond[4:].strip()
            value = truthy(lookup(ctx, cond))
            value = not value if negate else value
            stack.append((value, value))
        elif action == "else":
            if not stack:
                raise RenderError("else without if")
            _, taken = stack.pop()
            stack.append((not taken, True))
        elif action == "end":
            if not stack:
                raise RenderError("end without if")
            stack.pop()
        elif all(active for active, _ in stack):
            out.append(evaluate(action, ctx))
    if stack:
        raise RenderError("if without end")
    out.append(text[pos:])
    return "".join(out)


def render_chart(values):
    with open(os.path.join(CHART, "Chart.yaml"), encoding="utf-8") as f:
        chart = yaml.safe_load(f)
    ctx = {
        "Values": values,
        "Release": {"Name": "trinetra", "Namespace": "default"},
        "Chart": {"Name": chart["name"], "Version": chart["version"], "AppVersion": chart["appVersion"]},
    }
    rendered = {}
    templates = os.path.join(CHART, "templates")
    for name in sorted(os.listdir(templates)):
        with open(os.path.join(templates, name), encoding="utf-8") as f:
            try:
                rendered[name] = render(f.read(), ctx)
            except RenderError as e:
                raise RenderError(f"{name}: {e}") from e
    return rendered


def documents(rendered):
    docs = []
    for name, text in rendered.items():
        try:
            parsed = [d for d in yaml.safe_load_all(text) if d is not None]
        except yaml.YAMLError as e:
            raise AssertionError(f"{name} does not render to valid YAML: {e}\n{text}") from e
        for d in parsed:
            for key in ("apiVersion", "kind"):
                assert key in d, f"{name}: a document without {key}"
            assert d.get("metadata", {}).get("name"), f"{name}: a document without metadata.name"
        docs.extend(parsed)
    return docs


def yamllint(rendered):
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in rendered.items():
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                # Blank lines left at either end by `{{- if }}` / `{{- end }}` are Helm's output too: cosmetic.
                f.write(text.strip("\n") + "\n")
        config = "{extends: default, rules: {line-length: {max: 240}, document-start: disable, indentation: {indent-sequences: whatever}, comments: {min-spaces-from-content: 1}}}"
        result = subprocess.run(["yamllint", "-f", "parsable", "-d", config, tmp], capture_output=True, text=True)
        assert result.returncode == 0, f"yamllint on the rendered chart:\n{result.stdout}{result.stderr}"


def one(docs, kind, name):
    found = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def check_defaults(docs):
    server = one(docs, "Deployment", "trinetra-server")
    assert server["spec"]["replicas"] >= 2, "server replicas >= 2 by default"
    container = server["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    env_from = {next(iter(e)) for e in container["envFrom"]}
    assert env_from == {"configMapRef", "secretRef"}

    worker = one(docs, "Deployment", "trinetra-gpu-worker")
    pod = worker["spec"]["template"]["spec"]
    assert pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert pod["nodeSelector"] and pod["tolerations"], "GPU nodeSelector and tolerations from values"
    assert pod["containers"][0]["image"].endswith("-cuda")

    one(docs, "Deployment", "trinetra-web")
    for name in ("trinetra-server", "trinetra-web"):
        one(docs, "Service", name)
    for name in ("trinetra-server", "trinetra-gpu-worker", "trinetra-web"):
        one(docs, "PodDisruptionBudget", name)
    one(docs, "Ingress", "trinetra")
    config = one(docs, "ConfigMap", "trinetra-server-config")["data"]
    # Two replicas are safe only with camera leases; the server refuses renewals >= TTL/2.
    ttl, renew = int(config["CAMERA_LEASE_TTL_MS"]), int(config["CAMERA_LEASE_RENEW_MS"])
    assert 2 * renew < ttl, "camera lease renewal under half the TTL"
    assert ttl + renew <= 10_000, "a dead replica's cameras move within 10 s"
    one(docs, "Secret", "trinetra-secrets")
    monitor = one(docs, "ServiceMonitor", "trinetra-server")
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"

    scaled = one(docs, "ScaledObject", "trinetra-gpu-worker")
    trigger = scaled["spec"]["triggers"][0]
    assert trigger["type"] == "redis" and trigger["metadata"]["listName"] == "bull:frame-batches:wait"
    assert not [d for d in docs if d["kind"] == "HorizontalPodAutoscaler"], "KEDA and the HPA never both"

    rule = one(docs, "PrometheusRule", "trinetra-alerts")
    with open(os.path.join(REPO, "deploy", "prometheus", "rules.yml"), encoding="utf-8") as f:
        source = f.read()
    with open(os.path.join(CHART, "files", "rules.yml"), encoding="utf-8") as f:
        assert f.read() == source, "helm/trinetra/files/rules.yml differs from deploy/prometheus/rules.yml: copy it again"
    assert rule["spec"]["groups"] == yaml.safe_load(source)["groups"]


def check_alternatives(docs):
    assert not [d for d in docs if d["kind"] in ("ScaledObject", "Secret")]
    hpa = one(docs, "HorizontalPodAutoscaler", "trinetra-gpu-worker")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "trinetra-gpu-worker"
    server = one(docs, "Deployment", "trinetra-server")
    refs = [e["secretRef"]["name"] for e in server["spec"]["template"]["spec"]["containers"][0]["envFrom"] if "secretRef" in e]
    assert refs == ["prod-secrets"], refs


def main():
    with open(os.path.join(CHART, "values.yaml"), encoding="utf-8") as f:
        defaults = yaml.safe_load(f)
    rendered = render_chart(defaults)
    yamllint(rendered)
    check_defaults(documents(rendered))

    alt = copy.deepcopy(defaults)
    alt["keda"]["enabled"] = False
    alt["hpa"]["enabled"] = True
    alt["existingSecret"] = "prod-secrets"
    alt_rendered = render_chart(alt)
    yamllint(alt_rendered)
    check_alternatives(documents(alt_rendered))

    # The renderer itself, on the cases the chart relies on.
    ctx = {"Values": {"a": {"b": "x"}, "on": True, "off": False, "m": {"k": 1}}}
    assert render("n: {{ .Values.a.b | quote }}", ctx) == 'n: "x"'
    assert render("a:\n  {{- if .Values.off }}\n  x: 1\n  {{- else }}\n  y: 2\n  {{- end }}\n", ctx) == "a:\n  y: 2\n"
    assert render("m:\n  {{- toYaml .Values.m | nindent 2 }}", ctx) == "m:\n  k: 1"
    assert render("{{ if not .Values.on }}no{{ else }}yes{{ end }}", ctx) == "yes"
    try:
        render("{{ .Values.missing }}", ctx)
        raise AssertionError("a missing value must fail")
    except RenderError:
        pass
    print(f"helm/trinetra: {len(rendered)} templates rendered and checked with default and alternative values")


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, RenderError) as e:
        print(f"helm/trinetra render test FAILED: {e}", file=sys.stderr)
        sys.exit(1)
