# Checks of mfa_action's secrets, made at plan (preconditions of
# auth0_action.mfa_action): they decide who skips MFA, and Auth0 never shows
# them again. The tenant deployed to is read from the provider
# (data.auth0_tenant, which needs the read:tenant_settings scope).

data "auth0_tenant" "current" {}

locals {
  # The tenant deployed to, as event.tenant.id names it: the first label of
  # the Management API's domain (floatme.us.auth0.com: floatme).
  deployed_tenant_id = split(".", data.auth0_tenant.current.domain)[0]

  # A bare domain: lower-case labels of letters, digits and hyphens, at
  # least two, dot separated (no "@", scheme, path, space or trailing dot).
  bare_domain = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?([.][a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"

  # The domain secrets that are set and are not bare domains, by name.
  # Only whether each is one loses the sensitive mark.
  malformed_domain_secrets = [
    for name, value in local.mfa_secrets : name
    if contains(["INTEGRATION_TEST_EMAIL_DOMAIN", "FORCE_MFA_EMAIL_DOMAIN"], name) && nonsensitive(value != "" && length(regexall(local.bare_domain, value)) == 0)
  ]

  # Public mail providers' domains: anyone can register an address there,
  # so an integration-test domain among them would exempt anyone from MFA
  # on the test tenant.
  public_mail_domains = [
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "yahoo.com", "ymail.com", "aol.com", "icloud.com", "me.com", "mac.com",
    "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.net", "gmx.de", "web.de",
    "mail.com", "yandex.com", "yandex.ru", "mail.ru", "zoho.com", "fastmail.com",
    "tutanota.com", "tuta.io", "hey.com", "qq.com", "163.com", "126.com",
  ]
}
