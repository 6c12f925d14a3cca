#!/usr/bin/env python3
"""
The original service's Python SDK flow against this API (issue #8: "The original's Python SDK flow keeps
working with a generate key"). Run by test/e2e/python-sdk-flow.test.ts against the local stack.

PatientGeneratorClient below mirrors patient_generator_sdk.py of the original (banton/medical-patients)
method for method, with urllib in place of requests (standard library only: requests may be absent on CI):
  __init__, _request, create_configuration, list_configurations, get_configuration,
  update_configuration, delete_configuration, validate_configuration, start_generation_job,
  get_job_status, list_jobs, download_job_output, list_reference_nationalities,
  list_reference_condition_types.
Kept as the SDK has them: the base-URL joining (a "/" appended to the base, the endpoint's leading "/"
stripped), the paths with the SDK's trailing slashes ("api/v1/configurations/", "api/v1/generation/",
"api/v1/jobs/", "api/v1/configurations/validate/", "api/v1/configurations/reference/nationalities/", ...),
the headers (Accept: application/json, X-API-Key when a key is given), the query parameters (skip/limit,
limit), redirects followed, 204 answered with None, and errors raised the same way: Exception("API Error:
<detail>") chained to the HTTP error (`e.__cause__.code` is the status, as `e.__cause__.response.status_code`
was with requests).

Modes (the base URL and keys come from the environment, never from the command line):
  sdk_flow.py flow      The SDK's __main__ example with MMPG_API_KEY (a generate key): reference data,
                        configuration create/list/get/update/validate, a job from the configuration
                        (json + csv) polled every 2 s as the SDK's README does, list_jobs, the ZIP
                        downloaded and opened, the configuration deleted.
  sdk_flow.py refusals  The same client with no key, with an unknown key (MMPG_UNKNOWN_KEY) and with an
                        admin-only key (MMPG_ADMIN_ONLY_KEY).
Either prints one JSON line of facts last; the exit code is 0 only when the mode ran to its end.
"""

import csv
import http.client
import io
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from typing import Any, Dict, List, Optional

# What requests.exceptions.RequestException covered for the SDK: a failure to reach or read the server.
# urllib raises HTTPError (a URLError) for 4XX/5XX, so that one is always caught before these.
REQUEST_EXCEPTIONS = (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError)


class _Response:
    """The parts of a requests.Response the SDK reads: status_code, text, json()."""

    def __init__(self, status_code: int, body: bytes):
        self.status_code = status_code
        self.text = body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.text)


def _response_of(http_err: urllib.error.HTTPError) -> _Response:
    return _Response(http_err.code, http_err.read())


class PatientGeneratorClient:
    """Python client for the Military Medical Exercise Patient Generator API"""

    def __init__(self, base_url: str, api_key: Optional[str] = None):
        if not base_url.endswith("/"):
            base_url += "/"
        self.base_url = base_url
        self.api_key = api_key
        self.headers = {"Accept": "application/json"}
        if self.api_key:
            self.headers["X-API-Key"] = self.api_key  # Matches APIKeyHeader name in backend

    def _request(
        self,
        method: str,
        endpoint: str,
        params: Optional[Dict[str, Any]] = None,
        data: Optional[Dict[str, Any]] = None,
        json_data: Optional[Dict[str, Any]] = None,
    ) -> Any:
        """Helper method to make HTTP requests (requests.request(method, url, params, data, json, headers))."""
        url = f"{self.base_url}{endpoint.lstrip('/')}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        headers = dict(self.headers)
        body: Optional[bytes] = None
        if data:  # requests: form data wins over json
            body = urllib.parse.urlencode(data).encode("utf-8")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_data is not None:
            body = json.dumps(json_data, allow_nan=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request) as response:  # raise_for_status: HTTPError on 4XX/5XX
                status = response.status
                text = response.read().decode("utf-8")
            if status == 204:  # No Content
                return None
            return json.loads(text)
        except urllib.error.HTTPError as http_err:
            err_response = _response_of(http_err)
            print(f"HTTP error occurred: {http_err} - {err_response.text}")
            # Attempt to parse error detail from response if JSON
            try:
                error_detail = err_response.json().get("detail", err_response.text)
                msg = f"API Error: {error_detail}"
                raise Exception(msg) from http_err
            except json.JSONDecodeError:
                msg = f"API Error: {err_response.status_code} - {err_response.text}"
                raise Exception(msg) from http_err
        except REQUEST_EXCEPTIONS as req_err:
            print(f"Request exception occurred: {req_err}")
            msg = f"Request failed: {req_err}"
            raise Exception(msg) from req_err
        except json.JSONDecodeError as json_err:
            print(f"JSON decode error: {json_err}")
            msg = f"Failed to decode JSON response: {json_err}"
            raise Exception(msg) from json_err

    # Configuration Template Endpoints
    def create_configuration(self, config_data: Dict[str, Any]) -> Dict[str, Any]:
        return self._request("POST", "api/v1/configurations/", json_data=config_data)

    def list_configurations(self, skip: int = 0, limit: int = 100) -> List[Dict[str, Any]]:
        return self._request("GET", "api/v1/configurations/", params={"skip": skip, "limit": limit})

    def get_configuration(self, config_id: str) -> Dict[str, Any]:
        return self._request("GET", f"api/v1/configurations/{config_id}")

    def update_configuration(self, config_id: str, config_data: Dict[str, Any]) -> Dict[str, Any]:
        return self._request("PUT", f"api/v1/configurations/{config_id}", json_data=config_data)

    def delete_configuration(self, config_id: str) -> None:
        self._request("DELETE", f"api/v1/configurations/{config_id}")

    def validate_configuration(self, config_data: Dict[str, Any]) -> Dict[str, Any]:
        return self._request("POST", "api/v1/configurations/validate/", json_data=config_data)

    # Generation Job Endpoints
    def start_generation_job(self, payload: Dict[str, Any]) -> Dict[str, Any]:
        return self._request("POST", "api/v1/generation/", json_data=payload)

    def get_job_status(self, job_id: str) -> Dict[str, Any]:
        return self._request("GET", f"api/v1/jobs/{job_id}")

    def list_jobs(self, limit: int = 50) -> List[Dict[str, Any]]:
        return self._request("GET", "api/v1/jobs/", params={"limit": limit})

    def download_job_output(self, job_id: str, output_path: str) -> str:
        """Download the ZIP archive of a completed job's output files (requests.get(stream=True))."""
        url = f"{self.base_url}api/v1/downloads/{job_id}"
        headers = self.headers.copy()

        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
                with open(output_path, "wb") as f:
                    while chunk := r.read(8192):
                        f.write(chunk)
            return output_path
        except urllib.error.HTTPError as http_err:
            err_response = _response_of(http_err)
            error_content = err_response.text
            try:
                error_detail = err_response.json().get("detail", error_content)
            except json.JSONDecodeError:
                error_detail = error_content
            msg = f"API Error downloading file: {error_detail}"
            raise Exception(msg) from http_err
        except REQUEST_EXCEPTIONS as req_err:
            msg = f"Request failed downloading file: {req_err}"
            raise Exception(msg) from req_err

    # Reference Data Endpoints
    def list_reference_nationalities(self) -> List[Dict[str, str]]:
        return self._request("GET", "api/v1/configurations/reference/nationalities/")

    def list_reference_condition_types(self) -> List[str]:
        return self._request("GET", "api/v1/configurations/reference/condition-types/")


# ---------------------------------------------------------------------------------------------------
# The flow of the SDK's __main__ example, with what it found recorded as facts.

# Seconds between polls (the SDK README's loop) and the most polls before giving up.
POLL_SECONDS = 2
MAX_POLLS = int(os.environ.get("MMPG_MAX_POLLS", "45"))


def sdk_example_payload() -> Dict[str, Any]:
    """The SDK example's scenario in the v1 field names both the original's schema and this API accept.

    The SDK's own example payload (facility_chain, facility_type, died_rate, ...) was rejected by the
    original server too; these are the ConfigurationTemplateCreate fields of the original's
    schemas_config.py. `version` is the SDK's: a server-managed field, ignored.
    """
    return {
        "name": "SDK Example Scenario",
        "description": "A comprehensive test scenario created via the Python SDK.",
        "version": 1,
        "total_patients": 100,
        "base_date": "2025-06-01",
        "days_of_fighting": 2,
        "front_configs": [
            {
                "id": "alpha",
                "name": "Alpha Front",
                "casualty_rate": 0.6,
                "nationality_distribution": [
                    {"nationality_code": "USA", "percentage": 70.0},
                    {"nationality_code": "GBR", "percentage": 30.0},
                ],
            }
        ],
        "facility_configs": [
            {"id": "facility_r1_alpha", "name": "Role 1 Alpha", "capacity": 50, "kia_rate": 0.1, "rtd_rate": 0.7},
            {"id": "facility_r2_alpha", "name": "Role 2 Alpha", "capacity": 30, "kia_rate": 0.05, "rtd_rate": 0.6},
            {"id": "facility_r3_common", "name": "Role 3 Common", "capacity": 20, "kia_rate": 0.02, "rtd_rate": 0.5},
        ],
        "injury_distribution": {"Battle Injury": 60.0, "Disease": 25.0, "Non-Battle Injury": 15.0},
    }


def listed(page: Any, key: str) -> List[Dict[str, Any]]:
    """The items of a list answer. The original answered a bare JSON array, which the SDK's __main__
    iterates; this API answers a cursor page {<key>: [...], next_cursor} (memory/decisions/0102)."""
    if isinstance(page, list):
        return page
    return page[key]


def shape_of(value: Any) -> str:
    return "array" if isinstance(value, list) else "object with " + ",".join(sorted(value))


def run_flow(base_url: str, api_key: str) -> Dict[str, Any]:
    facts: Dict[str, Any] = {}
    client = PatientGeneratorClient(base_url=base_url, api_key=api_key)

    print("--- Reference Data ---")
    nationalities = client.list_reference_nationalities()
    condition_types = client.list_reference_condition_types()
    print("Available Nationalities:", json.dumps(nationalities[:5]) + "...")
    print("Available Condition Types:", condition_types)
    facts["nationalities_count"] = len(nationalities)
    facts["nationality_codes"] = [n["code"] for n in nationalities]
    facts["condition_types"] = condition_types

    print("\n--- Configuration Template Management ---")
    payload = sdk_example_payload()
    created_template = client.create_configuration(payload)
    config_id = created_template["id"]
    print(f"Created Configuration Template: {config_id} (version {created_template.get('version')})")
    facts["config_id"] = config_id
    facts["created_version"] = created_template.get("version")
    facts["created_total_patients"] = created_template["total_patients"]

    configs = client.list_configurations(skip=0, limit=5)
    facts["list_configurations_shape"] = shape_of(configs)
    for cfg in listed(configs, "configurations"):
        print(f"  - Name: {cfg['name']}, ID: {cfg['id']}, Version: {cfg.get('version', 'N/A')}")
    facts["listed_config_ids"] = [cfg["id"] for cfg in listed(configs, "configurations")]

    retrieved_config = client.get_configuration(config_id)
    facts["retrieved_name"] = retrieved_config["name"]
    facts["retrieved_front_ids"] = [f["id"] for f in retrieved_config["front_configs"]]
    facts["retrieved_facility_ids"] = [f["id"] for f in retrieved_config["facility_configs"]]

    # As the SDK's example: the fetched model, changed, sent back whole with PUT.
    config_to_update = retrieved_config.copy()
    update_payload_example = {
        "name": config_to_update["name"],
        "description": "Updated description for SDK Example Scenario.",
        "version": config_to_update.get("version", 1),
        "total_patients": 125,
        "front_configs": config_to_update["front_configs"],
        "facility_configs": config_to_update["facility_configs"],
        "injury_distribution": config_to_update["injury_distribution"],
        "base_date": config_to_update.get("base_date", "2025-06-01"),
        "days_of_fighting": config_to_update["days_of_fighting"],
    }
    updated_template = client.update_configuration(config_id, update_payload_example)
    print(f"Updated Configuration Template: version {updated_template.get('version')}")
    facts["updated_id"] = updated_template["id"]
    facts["updated_version"] = updated_template.get("version")
    facts["updated_total_patients"] = updated_template["total_patients"]
    facts["updated_description"] = updated_template.get("description")

    validation = client.validate_configuration(update_payload_example)
    facts["validation"] = validation

    print("\n--- Patient Generation Job ---")
    job_payload = {
        "configuration_id": config_id,
        "output_formats": ["json", "csv"],
        "use_compression": False,
        "use_encryption": False,
        "priority": "normal",
    }
    job_info = client.start_generation_job(job_payload)
    job_id = job_info["job_id"]
    print(f"Generation Job Started: ID = {job_id}, Initial Status = {job_info['status']}")
    facts["job_id"] = job_id
    facts["job_initial_status"] = job_info["status"]

    polls = 0
    while True:
        status_info = client.get_job_status(job_id)
        polls += 1
        print(f"  Job '{job_id}' Status: {status_info['status']}, Progress: {status_info.get('progress', 0)}%")
        if status_info["status"] in ("completed", "failed", "cancelled") or polls >= MAX_POLLS:
            break
        time.sleep(POLL_SECONDS)
    facts["job_status"] = status_info["status"]
    facts["job_progress"] = status_info.get("progress")
    facts["job_error"] = status_info.get("error")
    facts["job_config"] = status_info.get("config")
    facts["output_file_names"] = sorted(f.get("file_name") for f in status_info.get("output_files") or [])
    facts["polls"] = polls

    jobs = client.list_jobs()
    facts["list_jobs_shape"] = shape_of(jobs)
    facts["listed_job_ids"] = [j["job_id"] for j in listed(jobs, "jobs")]

    if status_info["status"] == "completed":
        with tempfile.TemporaryDirectory() as tmp:
            download_filename = os.path.join(tmp, f"patient_data_{job_id}.zip")
            saved_path = client.download_job_output(job_id, download_filename)
            print(f"Output successfully downloaded to: {saved_path}")
            facts["zip_is_zip"] = zipfile.is_zipfile(saved_path)
            with zipfile.ZipFile(saved_path) as archive:
                facts["zip_entries"] = sorted(archive.namelist())
                facts["zip_test"] = archive.testzip()  # None: every member's CRC holds
                patients = json.loads(archive.read("patients.json"))
                rows = list(csv.reader(io.StringIO(archive.read("patients.csv").decode("utf-8"))))
            facts["json_patient_count"] = len(patients)
            facts["json_patient_ids_unique"] = len({p["id"] for p in patients})
            facts["csv_header"] = rows[0] if rows else []
            facts["csv_patient_rows"] = max(len(rows) - 1, 0)

    client.delete_configuration(config_id)
    print(f"Configuration {config_id} deleted successfully.")
    facts["deleted"] = True
    try:
        client.get_configuration(config_id)
        facts["get_after_delete"] = "found"
    except Exception as gone:
        facts["get_after_delete"] = {"status": gone.__cause__.code, "error": str(gone)}
    return facts


def refusal(call) -> Dict[str, Any]:
    """What a refused SDK call raised: the status of the HTTP error it chains and its message."""
    try:
        call()
    except Exception as e:
        cause = e.__cause__
        return {"status": getattr(cause, "code", None), "error": str(e)}
    return {"status": None, "error": None}


def run_refusals(base_url: str) -> Dict[str, Any]:
    anonymous = PatientGeneratorClient(base_url=base_url)
    unknown = PatientGeneratorClient(base_url=base_url, api_key=os.environ["MMPG_UNKNOWN_KEY"])
    admin_only = PatientGeneratorClient(base_url=base_url, api_key=os.environ["MMPG_ADMIN_ONLY_KEY"])
    job = {"configuration": {"name": "SDK Generated Test", "total_patients": 5}, "output_formats": ["json"]}
    return {
        "anonymous_nationalities_count": len(anonymous.list_reference_nationalities()),
        "anonymous_list_configurations": refusal(lambda: anonymous.list_configurations()),
        "anonymous_start_generation_job": refusal(lambda: anonymous.start_generation_job(job)),
        "anonymous_download": refusal(lambda: anonymous.download_job_output("no-such-job", os.devnull)),
        "unknown_key_list_jobs": refusal(lambda: unknown.list_jobs()),
        "admin_only_start_generation_job": refusal(lambda: admin_only.start_generation_job(job)),
        "admin_only_list_jobs": refusal(lambda: admin_only.list_jobs()),
    }


def main(argv: List[str]) -> int:
    mode = argv[1] if len(argv) > 1 else "flow"
    base_url = os.environ["MMPG_BASE_URL"]
    if mode == "flow":
        facts = run_flow(base_url, os.environ["MMPG_API_KEY"])
    elif mode == "refusals":
        facts = run_refusals(base_url)
    else:
        print(f"unknown mode {mode!r}: flow or refusals", file=sys.stderr)
        return 2
    print(json.dumps(facts, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
