#!/usr/bin/env python3
"""Structural checks of what deploy/ ships (issue 14), on what the tools build:
`kubectl kustomize deploy/k8s` and `deploy/k8s-keda`, `docker-compose config`,
deploy/Dockerfile and .dockerignore. Needs kubectl, docker-compose (no engine:
`config` only parses) and python3-yaml, which `scripts/deps.sh test` installs."""
import os
import re
import shutil
import subprocess
import sys
import unittest

import yaml

# JIRASYNC_DEPLOY_ROOT: check another checkout's deploy files (e.g. an older one).
ROOT = os.environ.get("JIRASYNC_DEPLOY_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
ROLES = ["scheduler", "fetcher", "reconciler", "writer", "api"]
CONSUMERS = {"fetcher": "jobs", "reconciler": "issues.raw", "writer": "issues.decided"}


def tool(name):
    path = shutil.which(name)
    if not path:
        raise RuntimeError(f"{name} not found: run `bash scripts/deps.sh test`")
    return path


def kustomize(directory):
    out = subprocess.run([tool("kubectl"), "kustomize", os.path.join(ROOT, directory)],
                         check=True, capture_output=True, text=True).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def compose_config():
    env = dict(os.environ, JIRA_BASE_URL="https://example.atlassian.net",
               JIRA_EMAIL="bot@example.com", JIRASYNC_PROJECTS="WRKA", JIRA_API_TOKEN="t",
               JIRASYNC_DB_PASSWORD="p", JIRASYNC_WEBHOOK_SECRET="w")
    cmd = [tool("docker-compose"), "-f", os.path.join(ROOT, "docker-compose.yml")]
    out = subprocess.run(cmd + ["config"], check=True, capture_output=True, text=True, env=env,
                         cwd=ROOT).stdout
    return yaml.safe_load(out)


def of_kind(docs, kind):
    return [d for d in docs if d["kind"] == kind]


def named(docs, kind, name):
    found = [d for d in of_kind(docs, kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind} {name}: found {len(found)}"
    return found[0]


def pod_spec(doc):
    return doc["spec"]["template"]["spec"]


def selects(selector, labels):
    for k, v in selector.get("matchLabels", {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions", []):
        if e["operator"] == "In" and labels.get(e["key"]) not in e["values"]:
            return False
    return True


class Kubernetes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.docs = kustomize("deploy/k8s")
        cls.keda = kustomize("deploy/k8s-keda")
        kafka = named(cls.docs, "ConfigMap", "jirasync-kafka")["data"]
        cls.partitions = int(kafka["TOPIC_PARTITIONS"])
        cls.prefix = kafka["JIRASYNC_KAFKA_TOPIC_PREFIX"]

    def workloads(self, docs=None):
        return of_kind(docs or self.docs, "Deployment") + of_kind(docs or self.docs, "Job")

    def test_every_role_is_a_deployment(self):
        self.assertEqual(sorted(d["metadata"]["name"] for d in of_kind(self.docs, "Deployment")),
                         sorted(f"jirasync-{r}" for r in ROLES))

    def test_images_are_versioned_and_pulled_if_not_present(self):
        for w in self.workloads():
            for c in pod_spec(w)["containers"]:
                image = c["image"]
                self.assertRegex(image, r":[0-9][^:]*$", f"{w['metadata']['name']}: {image}")
                self.assertNotIn(":latest", image)
                self.assertEqual(c.get("imagePullPolicy"), "IfNotPresent", image)

    def test_security_context_everywhere(self):
        for w in self.workloads():
            spec = pod_spec(w)
            name = w["metadata"]["name"]
            self.assertTrue(spec["securityContext"]["runAsNonRoot"], name)
            self.assertEqual(spec["securityContext"]["seccompProfile"]["type"], "RuntimeDefault")
            self.assertFalse(spec.get("automountServiceAccountToken", True), name)
            for c in spec["containers"]:
                sc = c["securityContext"]
                self.assertTrue(sc["readOnlyRootFilesystem"], name)
                self.assertFalse(sc["allowPrivilegeEscalation"], name)
                self.assertEqual(sc["capabilities"]["drop"], ["ALL"], name)
        ns = named(self.docs, "Namespace", "jirasync")
        self.assertEqual(ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"], "restricted")

    def test_requests_and_limits_everywhere(self):
        for w in self.workloads():
            for c in pod_spec(w)["containers"]:
                for part in ("requests", "limits"):
                    for res in ("cpu", "memory"):
                        self.assertIn(res, c["resources"][part], f"{w['metadata']['name']} {part}")

    def test_secrets_are_mounted_only_where_used(self):
        wanted = {"scheduler": {"jirasync-db", "jirasync-webhook"},
                  "fetcher": {"jirasync-db", "jirasync-jira"},
                  "reconciler": {"jirasync-db"}, "writer": {"jirasync-db"},
                  "api": {"jirasync-db"}, "topics": set()}
        for w in self.workloads():
            spec = pod_spec(w)
            role = w["metadata"]["labels"]["role"]
            secrets = {v["secret"]["secretName"] for v in spec.get("volumes", []) if "secret" in v}
            self.assertEqual(secrets, wanted[role], role)
            env = {e["name"]: e.get("value") for c in spec["containers"] for e in c.get("env", [])}
            self.assertEqual("JIRA_API_TOKEN_FILE" in env, role == "fetcher", role)
            self.assertEqual("JIRASYNC_WEBHOOK_SECRET_FILE" in env, role == "scheduler", role)
            mounts = [m["mountPath"] for c in spec["containers"] for m in c.get("volumeMounts", [])]
            for name, value in env.items():
                if name.endswith("_FILE"):
                    self.assertTrue(any(value.startswith(m + "/") for m in mounts), f"{role} {name}")

    def test_scheduler_has_a_service_and_an_ingress_for_the_webhook_only(self):
        svc = named(self.docs, "Service", "jirasync-scheduler")
        self.assertEqual(svc["spec"]["selector"], {"app": "jirasync", "role": "scheduler"})
        self.assertEqual([p["port"] for p in svc["spec"]["ports"]], [8080])
        ingress = of_kind(self.docs, "Ingress")
        self.assertEqual(len(ingress), 2)
        for i in ingress:
            self.assertTrue(i["spec"]["tls"], i["metadata"]["name"])
        paths = [(p["path"], p["backend"]["service"]["name"]) for i in ingress
                 for r in i["spec"]["rules"] for p in r["http"]["paths"]]
        # The scheduler only for Jira's webhook; everything else is the API's.
        self.assertEqual(sorted(paths), [("/", "jirasync-api"), ("/api/webhook", "jirasync-scheduler")])

    def test_api_has_a_service_on_its_api_port_and_no_jira_token(self):
        svc = named(self.docs, "Service", "jirasync-api")
        self.assertEqual(svc["spec"]["selector"], {"app": "jirasync", "role": "api"})
        deployment = named(self.docs, "Deployment", "jirasync-api")
        container = pod_spec(deployment)["containers"][0]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        env = {e["name"]: e.get("value") for e in container["env"]}
        self.assertEqual(env["JIRASYNC_API_LISTEN"], f"0.0.0.0:{ports['api']}")
        self.assertEqual([p["targetPort"] for p in svc["spec"]["ports"]], ["api"])
        api = {"app": "jirasync", "role": "api"}
        ingress = [r for p in self.policies_for(api) for r in p["spec"].get("ingress", [])]
        self.assertTrue(any(ports["api"] in [p["port"] for p in r["ports"]] for r in ingress))

    def test_fetchers_have_a_cpu_hpa_up_to_the_partitions(self):
        hpas = of_kind(self.docs, "HorizontalPodAutoscaler")
        self.assertEqual([h["spec"]["scaleTargetRef"]["name"] for h in hpas], ["jirasync-fetcher"])
        self.assertLessEqual(hpas[0]["spec"]["maxReplicas"], self.partitions)
        self.assertEqual(hpas[0]["spec"]["metrics"][0]["resource"]["name"], "cpu")

    def test_keda_scales_each_consumer_on_its_groups_lag_instead_of_the_hpa(self):
        self.assertEqual(of_kind(self.keda, "HorizontalPodAutoscaler"), [])
        objects = {o["spec"]["scaleTargetRef"]["name"]: o for o in of_kind(self.keda, "ScaledObject")}
        self.assertEqual(sorted(objects), sorted(f"jirasync-{r}" for r in CONSUMERS))
        for role, topic in CONSUMERS.items():
            o = objects[f"jirasync-{role}"]
            self.assertEqual(o["spec"]["maxReplicaCount"], self.partitions, role)
            kafka = [t for t in o["spec"]["triggers"] if t["type"] == "kafka"]
            self.assertEqual(len(kafka), 1, role)
            self.assertEqual(kafka[0]["metadata"]["consumerGroup"], self.prefix + role)
            self.assertEqual(kafka[0]["metadata"]["topic"], self.prefix + topic)

    def test_every_role_has_a_disruption_budget(self):
        pdbs = of_kind(self.docs, "PodDisruptionBudget")
        for d in of_kind(self.docs, "Deployment"):
            labels = d["spec"]["template"]["metadata"]["labels"]
            covering = [p for p in pdbs if selects(p["spec"]["selector"], labels)]
            self.assertEqual(len(covering), 1, d["metadata"]["name"])
            spec = covering[0]["spec"]
            if d["spec"]["replicas"] == 1:  # never block a drain on a singleton
                self.assertEqual(spec.get("maxUnavailable"), 1, d["metadata"]["name"])

    def policies_for(self, labels):
        return [p for p in of_kind(self.docs, "NetworkPolicy")
                if selects(p["spec"]["podSelector"], labels)]

    def egress_ports(self, labels):
        return {p["port"] for pol in self.policies_for(labels)
                for rule in pol["spec"].get("egress", []) for p in rule.get("ports", [])}

    def test_network_policies_let_each_role_reach_only_what_it_needs(self):
        for w in self.workloads():
            labels = w["spec"]["template"]["metadata"]["labels"]
            role = labels["role"]
            pols = self.policies_for(labels)
            self.assertTrue(any(set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
                                and not p["spec"].get("ingress") and not p["spec"].get("egress")
                                for p in pols), f"{role}: no default deny")
            want = {53, 9092} if role == "topics" else {53, 9092, 5432}
            if role == "fetcher":
                want.add(443)  # Jira Cloud
            self.assertEqual(self.egress_ports(labels), want, role)
        scheduler = {"app": "jirasync", "role": "scheduler"}
        ingress = [r for p in self.policies_for(scheduler) for r in p["spec"].get("ingress", [])]
        self.assertTrue(any(8080 in [p["port"] for p in r["ports"]] for r in ingress))

    def test_topics_job_is_parameterised(self):
        job = named(self.docs, "Job", "jirasync-topics")
        c = pod_spec(job)["containers"][0]
        self.assertEqual([e["configMapRef"]["name"] for e in c["envFrom"]], ["jirasync-kafka"])
        script = "\n".join(c["args"])
        for var in ("JIRASYNC_KAFKA_BROKERS", "JIRASYNC_KAFKA_TOPIC_PREFIX", "TOPIC_PARTITIONS"):
            self.assertIn(var, script)
        self.assertNotIn("jirasync.", script)
        self.assertNotRegex(script, r"--partitions [0-9]")
        for d in of_kind(self.docs, "Deployment"):
            env = {e["name"]: e for e in pod_spec(d)["containers"][0]["env"]}
            for var in ("JIRASYNC_KAFKA_BROKERS", "JIRASYNC_KAFKA_TOPIC_PREFIX"):
                self.assertEqual(env[var]["valueFrom"]["configMapKeyRef"]["name"], "jirasync-kafka")


class Compose(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.config = compose_config()

    def test_kafka_has_a_healthcheck_the_roles_wait_for(self):
        services = self.config["services"]
        self.assertIn("test", services["kafka"]["healthcheck"])
        for role in ROLES:
            self.assertEqual(services[role]["depends_on"]["kafka"]["condition"], "service_healthy")

    def test_secrets_go_only_to_the_roles_that_use_them(self):
        services = self.config["services"]
        for role in ROLES:
            env = services[role]["environment"]
            self.assertEqual("JIRA_API_TOKEN" in env, role == "fetcher", role)
            self.assertEqual("JIRASYNC_WEBHOOK_SECRET" in env, role == "scheduler", role)

    def test_the_api_role_serves_its_port_on_loopback(self):
        api = self.config["services"]["api"]
        port = api["environment"]["JIRASYNC_API_LISTEN"].rsplit(":", 1)[1]
        published = [(str(p.get("host_ip", "")), str(p.get("published")), str(p.get("target")))
                     if isinstance(p, dict) else tuple(str(p).replace("/tcp", "").split(":"))
                     for p in api["ports"]]
        self.assertEqual(published, [("127.0.0.1", port, port)])

    def test_images_are_versioned(self):
        for role in ROLES:
            self.assertRegex(self.config["services"][role]["image"], r"^jirasync:[0-9]")

    def test_monitoring_is_an_optional_profile_with_the_dashboard(self):
        # docker-compose 1.29's `config` lists every profile's services.
        services = self.config["services"]
        for name in ("prometheus", "grafana"):
            self.assertEqual(services[name].get("profiles"), ["monitoring"], name)
        for role in ROLES + ["postgres", "kafka", "topics"]:
            self.assertNotIn("profiles", services[role], role)
        volumes = " ".join(str(v) for v in services["grafana"]["volumes"])
        self.assertIn("deploy/monitoring/grafana/dashboards", volumes)
        self.assertTrue(
            os.path.exists(os.path.join(ROOT, "deploy/monitoring/grafana/dashboards/jirasync.json")))
        # Prometheus gets the alert rules its config names, from the same folder.
        volumes = " ".join(str(v) for v in services["prometheus"]["volumes"])
        for name in ("prometheus.yml", "alerts.yml"):
            self.assertIn("deploy/monitoring/" + name, volumes)
            self.assertTrue(os.path.exists(os.path.join(ROOT, "deploy/monitoring", name)))


class Image(unittest.TestCase):
    def test_dockerignore_keeps_builds_and_secrets_out(self):
        lines = open(os.path.join(ROOT, ".dockerignore")).read().split()
        for entry in ("build*", ".git", ".secrets", ".tools"):
            self.assertIn(entry, lines)

    def test_dockerfile_strips_runs_as_non_root_and_checks_health(self):
        text = open(os.path.join(ROOT, "deploy/Dockerfile")).read()
        stages = re.split(r"^FROM ", text, flags=re.M)[1:]
        self.assertGreaterEqual(len(stages), 2)
        runtime = stages[-1]
        self.assertIn("--only-keep-debug", text)
        self.assertIn("--strip", text)
        self.assertRegex(runtime, r"(?m)^USER [1-9][0-9]*")
        self.assertRegex(runtime, r"(?m)^HEALTHCHECK ")
        self.assertNotRegex(runtime, r"-dev\b")


if __name__ == "__main__":
    unittest.main(verbosity=2)
