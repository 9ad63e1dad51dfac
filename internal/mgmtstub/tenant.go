package mgmtstub

import "net/http"

// ScopeReadTenantSettings is the scope of GET /api/v2/tenants/settings,
// which the auth0 provider's auth0_tenant data source reads (deploy/
// names the tenant it deploys to from it).
const ScopeReadTenantSettings = "read:tenant_settings"

// tenantSettings answers GET /api/v2/tenants/settings with the settings of
// the provider's recording TestAccDataSourceTenant, in part: the data
// source needs the answer, and the deploy reads only the domain, which the
// provider takes from its own configuration.
func (s *Server) tenantSettings(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"friendly_name":    "My Test Tenant",
		"picture_url":      "https://mycompany.org/logo.png",
		"support_email":    "support@mycompany.org",
		"support_url":      "https://mycompany.org/support",
		"enabled_locales":  []string{"en", "de", "fr"},
		"sandbox_version":  "16",
		"session_lifetime": 720, "idle_session_lifetime": 72,
		"session_cookie": map[string]any{"mode": "non-persistent"},
	})
}
