variable "build_dir" {
  description = "The folder make wasm wrote (manifest.json and the bundles): absolute, or relative to the working directory. Empty: ../build next to these files."
  type        = string
  default     = ""
}

variable "runtime" {
  description = "The Node runtime of every action: node18 (the default), or node22, which Auth0 has recommended since January 2025 (the bundles are tested under Node 18 and Node 22). The auth0 provider v1.0.0 refuses node22 at plan; it needs a later 1.x release of the provider."
  type        = string
  default     = "node18"

  validation {
    condition     = contains(["node18", "node22"], var.runtime)
    error_message = "The runtime must be \"node18\" or \"node22\": the bundles are tested under both (node22 needs an auth0 provider later than v1.0.0)."
  }
}

variable "test_tenant_id" {
  description = "mfa_action's TEST_TENANT_ID: the id of the test tenant. Empty: no tenant is the test tenant, and the secret is not sent. Naming the tenant deployed to is refused unless is_test_tenant is true."
  type        = string
  default     = ""
  sensitive   = true
  nullable    = false
}

variable "integration_test_email_domain" {
  description = "mfa_action's INTEGRATION_TEST_EMAIL_DOMAIN: the email domain of integration test accounts, a bare domain (integration.example.com), never a public mail provider's. Empty: no account is one, and the secret is not sent."
  type        = string
  default     = ""
  sensitive   = true
  nullable    = false
}

variable "force_mfa_email_domain" {
  description = "mfa_action's FORCE_MFA_EMAIL_DOMAIN: the email domain that is challenged even on the test tenant's refresh flow, a bare domain (forcemfa.example.com). Empty: forcemfa.floatme.io, and the secret is not sent."
  type        = string
  default     = ""
  sensitive   = true
  nullable    = false
}

variable "is_test_tenant" {
  description = "Whether the tenant deployed to is the test tenant. Only then may test_tenant_id name it: on the test tenant every refresh-token login skips MFA."
  type        = bool
  default     = false
  nullable    = false
}
