#!/usr/bin/env bash
# Checks the deployment examples in deploy/ with real parsers: the systemd
# unit with `systemd-analyze verify` (any warning fails) and `systemd-analyze
# security` (exposure at most 2.0, which --threshold counts as 20), the
# compose file and the Kubernetes pod with a YAML parser plus a check of
# what they promise (the sidecar shares the network namespace, probes on the
# admin port 7421, non-root, read-only, no capabilities, resources). The unit's ExecStart is pointed at a built
# chatbusd (build/*/chatbusd, or $CHATBUS_BINARY), since verify insists that
# the binary exists.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh
install_packages "${CHATBUS_DEPLOY_PACKAGES[@]}"

fail() {
  echo "=== chatbus: deploy check FAILED: $*" >&2
  exit 1
}

binary=${CHATBUS_BINARY:-}
if [ -z "$binary" ]; then
  for candidate in build/dev/chatbusd build/release/chatbusd build/asan/chatbusd build/tsan/chatbusd; do
    if [ -x "$candidate" ]; then binary=$PWD/$candidate; break; fi
  done
fi
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
  fail "no built chatbusd (build a preset first or set CHATBUS_BINARY)"
fi

unit=deploy/systemd/chatbusd.service
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The unit as shipped, but with the built binary and this tree's config.
grep -q '^ExecStart=/usr/local/bin/chatbusd --config /etc/chatbus/chatbusd.toml$' "$unit" \
  || fail "$unit: ExecStart is not '/usr/local/bin/chatbusd --config /etc/chatbus/chatbusd.toml'"
sed "s#^ExecStart=/usr/local/bin/chatbusd --config /etc/chatbus/chatbusd.toml\$#ExecStart=$binary --config $PWD/config/chatbusd.toml#" \
  "$unit" >"$work/chatbusd.service"
# verify exits 0 on unknown keys and unparsable values, only logging them.
output=$(systemd-analyze verify --man=no "$work/chatbusd.service" 2>&1) || fail "$unit: systemd-analyze verify: $output"
[ -z "$output" ] || fail "$unit: systemd-analyze verify complains: $output"
security=$(systemd-analyze security --offline=yes --threshold=20 --no-pager "$work/chatbusd.service" 2>&1) \
  || fail "$unit: exposure above 2.0: $(tail -1 <<<"$security")"
echo "=== chatbus: $unit verified; $(tail -1 <<<"$security" | sed 's/^→ //')"
# shellcheck disable=SC2016 # $MAINPID is for systemd, not for this shell
for key in 'DynamicUser=yes' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
  'PrivateDevices=yes' 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'SystemCallFilter=@system-service' \
  'Restart=on-failure' 'ExecReload=/bin/kill -HUP $MAINPID'; do
  grep -qxF "$key" "$unit" || fail "$unit: no '$key'"
done
grep -qE '^LimitNOFILE=[0-9]+$' "$unit" || fail "$unit: no LimitNOFILE"

# Debian's python3 (the one with python3-yaml), not whichever is on PATH.
/usr/bin/python3 - deploy/docker-compose.yml deploy/kubernetes/pod.yaml <<'EOF'
import sys
import yaml

ADMIN = 7421


def check(ok, what):
    if not ok:
        sys.exit(f"=== chatbus: deploy check FAILED: {what}")


def load(path):
    try:
        with open(path) as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        sys.exit(f"=== chatbus: deploy check FAILED: {path}: {e}")


compose_path, pod_path = sys.argv[1:]

compose = load(compose_path)
services = compose.get("services") or {}
check("chatbusd" in services, f"{compose_path}: no chatbusd service")
broker = services["chatbusd"]
test = (broker.get("healthcheck") or {}).get("test") or []
check(test[:1] == ["CMD"] and any("chatbus-healthcheck" in t for t in test) and str(ADMIN) in test,
      f"{compose_path}: chatbusd's healthcheck does not run chatbus-healthcheck on port {ADMIN}: {test}")
check(broker.get("read_only") is True and broker.get("cap_drop") == ["ALL"],
      f"{compose_path}: chatbusd is not read_only with cap_drop [ALL]")
apps = [name for name, s in services.items() if s.get("network_mode") == "service:chatbusd"]
check(apps, f'{compose_path}: no service with network_mode "service:chatbusd"')
for name in apps:
    condition = ((services[name].get("depends_on") or {}).get("chatbusd") or {}).get("condition")
    check(condition == "service_healthy", f"{compose_path}: {name} does not wait for chatbusd to be healthy")
    check("ports" not in services[name], f"{compose_path}: {name} publishes ports, which a shared namespace cannot")
print(f"=== chatbus: {compose_path} parsed; sidecar for {', '.join(apps)}, healthcheck on {ADMIN}")

pod = load(pod_path)
check(pod.get("apiVersion") == "v1" and pod.get("kind") == "Pod", f"{pod_path}: not a v1 Pod")
spec = pod["spec"]
containers = spec.get("containers") or []
init = spec.get("initContainers") or []
sidecars = [c for c in init + containers if c.get("name") == "chatbusd"]
check(len(sidecars) == 1, f"{pod_path}: not exactly one chatbusd container")
broker = sidecars[0]
if broker in init:
    check(broker.get("restartPolicy") == "Always",
          f"{pod_path}: chatbusd is an init container without restartPolicy: Always (not a sidecar)")
check([c for c in containers if c is not broker], f"{pod_path}: no application container")
ports = {p.get("name"): p.get("containerPort") for p in broker.get("ports") or []}
for probe, path, needed in (("livenessProbe", "/healthz", True), ("readinessProbe", "/readyz", True),
                            ("startupProbe", "/readyz", False)):
    if not needed and probe not in broker:
        continue
    get = (broker.get(probe) or {}).get("httpGet") or {}
    port = ports.get(get.get("port"), get.get("port"))
    check(get.get("path") == path and port == ADMIN,
          f"{pod_path}: chatbusd's {probe} is not GET {path} on port {ADMIN}: {get}")
resources = broker.get("resources") or {}
for kind in ("requests", "limits"):
    check({"cpu", "memory"} <= set(resources.get(kind) or {}), f"{pod_path}: chatbusd has no cpu and memory {kind}")
for c in init + containers:
    sc = c.get("securityContext") or {}
    check(sc.get("runAsNonRoot") is True and sc.get("readOnlyRootFilesystem") is True
          and sc.get("allowPrivilegeEscalation") is False
          and "ALL" in ((sc.get("capabilities") or {}).get("drop") or []),
          f"{pod_path}: container {c.get('name')} is not non-root, read-only, without privilege escalation "
          f"and with capabilities drop [ALL]")
check(broker["securityContext"].get("runAsUser") == 7420, f"{pod_path}: chatbusd does not run as the image's uid 7420")
form = "native sidecar" if broker in init else "second container"
print(f"=== chatbus: {pod_path} parsed; chatbusd as a {form}, probes on {ADMIN}")
EOF
