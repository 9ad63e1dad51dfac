# The three actions, their code and dependencies taken from the build's
# manifest, and their bindings. A rebuild changes exactly the actions whose
# bundles changed: code is the bundle's bytes, nothing else depends on it.

locals {
  build_dir = coalesce(var.build_dir, "${path.module}/../build")
  manifest  = jsondecode(file("${local.build_dir}/manifest.json"))
  actions   = { for a in local.manifest.actions : a.name => a }
  bundles   = { for a in local.manifest.actions : a.name => "${local.build_dir}/${a.bundle}" }

  # mfa_action's secrets by name, each from its sensitive variable.
  mfa_secrets = {
    TEST_TENANT_ID                = var.test_tenant_id
    INTEGRATION_TEST_EMAIL_DOMAIN = var.integration_test_email_domain
    FORCE_MFA_EMAIL_DOMAIN        = var.force_mfa_email_domain
  }
}

resource "auth0_action" "mfa_action" {
  name    = "mfa_action"
  code    = file(local.bundles["mfa_action"])
  runtime = var.runtime
  deploy  = true

  supported_triggers {
    id      = "post-login"
    version = "v3"
  }

  # A secret whose variable is empty is not sent at all: the actions read a
  # missing secret as empty, and whether Auth0 stores "" or keeps the old
  # value is not known. Only whether each is set loses the sensitive mark.
  dynamic "secrets" {
    for_each = toset([for name, value in local.mfa_secrets : name if nonsensitive(value != "")])
    content {
      name  = secrets.key
      value = local.mfa_secrets[secrets.key]
    }
  }

  dynamic "dependencies" {
    for_each = local.actions["mfa_action"].dependencies
    content {
      name    = dependencies.value.name
      version = dependencies.value.version
    }
  }

  lifecycle {
    precondition {
      condition     = filesha256(local.bundles["mfa_action"]) == local.actions["mfa_action"].sha256
      error_message = "The mfa_action bundle does not match the manifest's sha256: run make wasm."
    }
    precondition {
      condition     = length(local.malformed_domain_secrets) == 0
      error_message = "${join(" and ", local.malformed_domain_secrets)}: not a bare domain. Give the part after the \"@\" of the addresses it names (integration.example.com): lower-case, with no \"@\", no scheme (https://), no path and no spaces (secrets.tf)."
    }
    precondition {
      condition     = !contains(local.public_mail_domains, var.integration_test_email_domain)
      error_message = "INTEGRATION_TEST_EMAIL_DOMAIN is a public mail provider's domain: anyone can register an address there and skip MFA on the test tenant. Use a domain only your test accounts' addresses are in (secrets.tf lists the refused ones)."
    }
    precondition {
      condition     = var.is_test_tenant || var.test_tenant_id != local.deployed_tenant_id
      error_message = "TEST_TENANT_ID names the tenant deployed to (${local.deployed_tenant_id}): every refresh-token login there would skip MFA. Set TEST_TENANT_ID to the test tenant's id, or, deploying to the test tenant itself, set is_test_tenant = true (TF_VAR_is_test_tenant=true)."
    }
  }
}

resource "auth0_action" "ip_metadata_action" {
  name    = "add_ip_to_metadata"
  code    = file(local.bundles["add_ip_to_metadata"])
  runtime = var.runtime
  deploy  = true

  supported_triggers {
    id      = "post-login"
    version = "v3"
  }

  dynamic "dependencies" {
    for_each = local.actions["add_ip_to_metadata"].dependencies
    content {
      name    = dependencies.value.name
      version = dependencies.value.version
    }
  }

  lifecycle {
    precondition {
      condition     = filesha256(local.bundles["add_ip_to_metadata"]) == local.actions["add_ip_to_metadata"].sha256
      error_message = "The add_ip_to_metadata bundle does not match the manifest's sha256: run make wasm."
    }
  }
}

resource "auth0_action" "set_mfa_action" {
  name    = "enable_mfa"
  code    = file(local.bundles["enable_mfa"])
  runtime = var.runtime
  deploy  = true

  supported_triggers {
    id      = "pre-user-registration"
    version = "v2"
  }

  dynamic "dependencies" {
    for_each = local.actions["enable_mfa"].dependencies
    content {
      name    = dependencies.value.name
      version = dependencies.value.version
    }
  }

  lifecycle {
    precondition {
      condition     = filesha256(local.bundles["enable_mfa"]) == local.actions["enable_mfa"].sha256
      error_message = "The enable_mfa bundle does not match the manifest's sha256: run make wasm."
    }
  }
}

# Each auth0_trigger_actions owns its trigger's whole list: an action bound
# by hand is unbound on apply, and actions verify reports it as drift.
# post-login runs mfa_action, then add_ip_to_metadata (the manifest's order,
# which deploycheck holds it to). An action this repository does not build
# that must run on one of these triggers is declared in its place among
# ours, by its id and its name, both written here (actions verify reads
# them from these files and checks the tenant runs it there):
#
#   actions {
#     id           = "<its action id>"
#     display_name = "<its name>"
#   }
resource "auth0_trigger_actions" "post_login" {
  trigger = "post-login"

  actions {
    id           = auth0_action.mfa_action.id
    display_name = auth0_action.mfa_action.name
  }
  actions {
    id           = auth0_action.ip_metadata_action.id
    display_name = auth0_action.ip_metadata_action.name
  }
}

resource "auth0_trigger_actions" "pre_user_registration" {
  trigger = "pre-user-registration"

  actions {
    id           = auth0_action.set_mfa_action.id
    display_name = auth0_action.set_mfa_action.name
  }
}
