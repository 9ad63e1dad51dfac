# The auth0 provider reads its credentials from the environment only:
# AUTH0_DOMAIN, and AUTH0_API_TOKEN or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    auth0 = {
      source  = "auth0/auth0"
      version = ">= 1.0.0, < 2.0.0"
    }
  }
}

provider "auth0" {}
