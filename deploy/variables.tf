variable "build_dir" {
  description = "The folder make wasm wrote (manifest.json and the bundles): absolute, or relative to the working directory. Empty: ../build next to these files."
  type        = string
  default     = ""
}

variable "runtime" {
  description = "The Node runtime of every action. The bundles are built and tested for node18."
  type        = string
  default     = "node18"

  validation {
    condition     = var.runtime == "node18"
    error_message = "The runtime must be \"node18\": the bundles are built and tested for it, and auth0 provider v1.0.0 knows no later one."
  }
}

variable "test_tenant_id" {
  description = "mfa_action's TEST_TENANT_ID: the id of the test tenant. Empty: no tenant is the test tenant."
  type        = string
  default     = ""
  sensitive   = true
  nullable    = false
}

variable "integration_test_email_domain" {
  description = "mfa_action's INTEGRATION_TEST_EMAIL_DOMAIN: the email domain of integration test accounts. Empty: no account is one."
  type        = string
  default     = ""
  sensitive   = true
  nullable    = false
}

variable "force_mfa_email_domain" {
  description = "mfa_action's FORCE_MFA_EMAIL_DOMAIN: the email domain that is challenged even on the test tenant's refresh flow. Empty: forcemfa.floatme.io."
  type        = string
  default     = ""
  sensitive   = true
  nullable    = false
}
