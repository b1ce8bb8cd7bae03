/// Table of provider token formats ("distinctive prefix + alphabet + length"), written from the
/// providers' published token grammars. Add a provider by adding one line.
enum ProviderRules {
    private static func k(_ s: String) -> SecretKind { SecretKind(rawValue: s) }

    static let all: [TokenRule] = {
        var r: [TokenRule] = []
        // AWS access key ids (long-term, temporary, and other credential-bearing id prefixes).
        for p in ["AKIA", "ASIA", "ABIA", "ACCA"] {
            r.append(TokenRule(.awsAccessKeyID, p, .upperDigits, 16, 16))
        }
        // GitHub classic tokens with CRC32 checksum, and fine-grained PATs.
        for p in ["ghp_", "gho_", "ghs_", "ghu_", "ghr_"] {
            r.append(TokenRule(.githubToken, p, .alnum, 36, 36, .githubChecksum))
        }
        r.append(TokenRule(.githubToken, "github_pat_", .alnumUnderscore, 70, 255, .githubPAT))
        // GitLab.
        r.append(TokenRule(.gitlabToken, "glpat-", .base64urlDot, 20, 300))
        for p in ["gldt-", "glptt-", "glrt-", "glcbt-", "glimt-", "glsoat-", "glffct-", "glft-", "gloas-", "glagent-", "GR1348941"] {
            r.append(TokenRule(.gitlabToken, p, .base64urlDot, 20, 300))
        }
        // Slack.
        for p in ["xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-", "xoxe.xoxp-", "xoxe.xoxb-", "xoxe-", "xapp-"] {
            r.append(TokenRule(.slackToken, p, .slackChars, 20, 250, .slackToken))
        }
        for p in ["https://hooks.slack.com/", "http://hooks.slack.com/", "hooks.slack.com/"] {
            r.append(TokenRule(.slackWebhook, p, Alphabet.base64url + Alphabet("/+"), 40, 200, .slackWebhook))
        }
        // Stripe secret and restricted keys (publishable pk_ keys are public and not listed).
        for p in ["sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_"] {
            r.append(TokenRule(.stripeSecretKey, p, .alnum, 10, 247, .containsDigit))
        }
        r.append(TokenRule(k("stripe_webhook_secret"), "whsec_", .alnum, 32, 64))
        // Google.
        r.append(TokenRule(.googleAPIKey, "AIza", .base64url, 35, 35))
        r.append(TokenRule(k("google_oauth_client_secret"), "GOCSPX-", .base64url, 28, 28))
        r.append(TokenRule(k("google_oauth_access_token"), "ya29.", .base64url, 30, 2048, .containsDigit))
        // OpenAI and other LLM providers.
        for p in ["sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"] {
            r.append(TokenRule(.openAIAPIKey, p, .base64url, 40, 400))
        }
        r.append(TokenRule(.openAIAPIKey, "sk-", .base64url, 32, 200, .openAILegacy))
        r.append(TokenRule(k("anthropic_api_key"), "sk-ant-api03-", .base64url, 80, 120))
        r.append(TokenRule(k("anthropic_api_key"), "sk-ant-admin01-", .base64url, 80, 120))
        r.append(TokenRule(k("openrouter_api_key"), "sk-or-v1-", .hexLower, 64, 64))
        r.append(TokenRule(k("groq_api_key"), "gsk_", .alnum, 52, 52))
        r.append(TokenRule(k("xai_api_key"), "xai-", .alnumUnderscore, 80, 80))
        r.append(TokenRule(k("perplexity_api_key"), "pplx-", .alnum, 48, 48))
        r.append(TokenRule(k("replicate_api_token"), "r8_", .alnum, 37, 37))
        r.append(TokenRule(k("nvidia_api_key"), "nvapi-", .base64url, 64, 64))
        r.append(TokenRule(k("huggingface_token"), "hf_", Alphabet.upper + Alphabet.lower, 34, 34))
        r.append(TokenRule(k("huggingface_token"), "api_org_", Alphabet.upper + Alphabet.lower, 34, 34))
        r.append(TokenRule(k("langsmith_api_key"), "lsv2_pt_", Alphabet.hexLower + Alphabet("_"), 43, 43))
        r.append(TokenRule(k("langsmith_api_key"), "lsv2_sk_", Alphabet.hexLower + Alphabet("_"), 43, 43))
        // Messaging / email.
        r.append(TokenRule(.sendgridAPIKey, "SG.", .base64urlDot, 66, 66, .sendgrid))
        r.append(TokenRule(.twilioAPIKey, "SK", .hex, 32, 32))
        r.append(TokenRule(k("brevo_api_key"), "xkeysib-", Alphabet.alnum + Alphabet("-"), 81, 81))
        r.append(TokenRule(k("mailgun_api_key"), "key-", .hexLower, 32, 32))
        // Package registries.
        r.append(TokenRule(.npmToken, "npm_", .alnum, 36, 36, .npmChecksum))
        r.append(TokenRule(k("pypi_token"), "pypi-AgEIcHlwaS5vcmc", .base64url, 50, 1000))
        r.append(TokenRule(k("pypi_token"), "pypi-AgENdGVzdC5weXBpLm9yZw", .base64url, 50, 400))
        r.append(TokenRule(k("rubygems_api_key"), "rubygems_", .hexLower, 48, 48))
        r.append(TokenRule(k("nuget_api_key"), "oy2", .lowerDigits, 43, 43))
        r.append(TokenRule(k("clojars_token"), "CLOJARS_", .alnum, 60, 60))
        r.append(TokenRule(k("docker_hub_token"), "dckr_pat_", .base64url, 27, 27))
        r.append(TokenRule(k("docker_hub_token"), "dckr_oat_", .base64url, 27, 32))
        r.append(TokenRule(k("artifactory_api_key"), "AKCp", .alnum, 69, 69))
        // JWT.
        r.append(TokenRule(.jwt, "eyJ", .jwtChars, 30, 8192, .jwt))
        // Commerce.
        for p in ["shpat_", "shpca_", "shppa_", "shpss_"] {
            r.append(TokenRule(k("shopify_token"), p, .hex, 32, 32))
        }
        r.append(TokenRule(k("square_access_token"), "sq0atp-", .base64url, 22, 22))
        r.append(TokenRule(k("square_oauth_secret"), "sq0csp-", .base64url, 43, 43))
        r.append(TokenRule(k("square_access_token"), "EAAA", .base64url, 60, 60, .containsDigit))
        r.append(TokenRule(k("flutterwave_secret_key"), "FLWSECK_TEST-", Alphabet.hexLower + Alphabet("-X"), 32, 34))
        r.append(TokenRule(k("flutterwave_secret_key"), "FLWSECK-", Alphabet.hexLower + Alphabet("-X"), 32, 34))
        r.append(TokenRule(k("shippo_api_token"), "shippo_live_", .hexLower, 40, 40))
        r.append(TokenRule(k("shippo_api_token"), "shippo_test_", .hexLower, 40, 40))
        r.append(TokenRule(k("duffel_api_token"), "duffel_live_", .base64url, 43, 43))
        r.append(TokenRule(k("duffel_api_token"), "duffel_test_", .base64url, 43, 43))
        r.append(TokenRule(k("easypost_api_key"), "EZAK", .alnum, 54, 54))
        r.append(TokenRule(k("easypost_api_key"), "EZTK", .alnum, 54, 54))
        r.append(TokenRule(k("plaid_access_token"), "access-production-", Alphabet.hexLower + Alphabet("-"), 36, 36))
        // Cloud / infrastructure.
        for p in ["dop_v1_", "doo_v1_", "dor_v1_"] {
            r.append(TokenRule(k("digitalocean_token"), p, .hexLower, 64, 64))
        }
        r.append(TokenRule(k("grafana_cloud_token"), "glc_", .base64Padded, 32, 400))
        r.append(TokenRule(k("grafana_service_account_token"), "glsa_", .alnumUnderscore, 41, 41))
        r.append(TokenRule(k("databricks_token"), "dapi", Alphabet.hexLower + Alphabet("-"), 32, 34))
        r.append(TokenRule(k("alibaba_access_key_id"), "LTAI", .alnum, 16, 20, .containsDigit))
        r.append(TokenRule(k("pulumi_access_token"), "pul-", .hexLower, 40, 40))
        r.append(TokenRule(k("vault_token"), "hvs.", .base64url, 90, 200))
        r.append(TokenRule(k("vault_token"), "hvb.", .base64url, 130, 400))
        r.append(TokenRule(k("age_secret_key"), "AGE-SECRET-KEY-1", .upperDigits, 58, 58))
        for p in ["dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit."] {
            r.append(TokenRule(k("doppler_token"), p, .alnum, 40, 44))
        }
        r.append(TokenRule(k("sentry_token"), "sntrys_", Alphabet.base64Padded + Alphabet("_"), 50, 400))
        r.append(TokenRule(k("sentry_token"), "sntryu_", .hexLower, 64, 64))
        r.append(TokenRule(k("netlify_token"), "nfp_", .alnum, 36, 36))
        r.append(TokenRule(k("fly_token"), "fo1_", .base64url, 43, 43))
        r.append(TokenRule(k("heroku_api_key"), "HRKU-AA", .base64url, 58, 58))
        for p in ["vcp_", "vci_", "vca_", "vcr_", "vck_"] {
            r.append(TokenRule(k("vercel_token"), p, .alnum, 24, 64, .containsDigit))
        }
        r.append(TokenRule(k("supabase_token"), "sbp_", .hexLower, 40, 40))
        r.append(TokenRule(k("supabase_token"), "sb_secret_", .base64url, 31, 40))
        r.append(TokenRule(k("dynatrace_token"), "dt0c01.", Alphabet.alnum + Alphabet("."), 89, 89))
        r.append(TokenRule(k("newrelic_api_key"), "NRAK-", .upperDigits, 27, 27))
        r.append(TokenRule(k("newrelic_api_key"), "NRJS-", .hexLower, 19, 19))
        r.append(TokenRule(k("planetscale_token"), "pscale_tkn_", Alphabet.alnum + Alphabet("_-."), 32, 64))
        r.append(TokenRule(k("planetscale_token"), "pscale_pw_", Alphabet.alnum + Alphabet("_-."), 32, 64))
        r.append(TokenRule(k("planetscale_token"), "pscale_oauth_", Alphabet.alnum + Alphabet("_-."), 32, 64))
        r.append(TokenRule(k("openshift_token"), "sha256~", .base64url, 43, 43))
        r.append(TokenRule(k("yandex_api_key"), "AQVN", .base64url, 35, 38, .containsDigit))
        r.append(TokenRule(k("infracost_api_key"), "ico-", .alnum, 32, 32))
        r.append(TokenRule(k("buildkite_token"), "bkua_", .hexLower, 40, 40))
        r.append(TokenRule(k("firebase_fcm_server_key"), "AAAA", Alphabet.base64url + Alphabet(":"), 140, 160, .firebaseFCM))
        // SaaS / developer tools.
        r.append(TokenRule(k("linear_api_key"), "lin_api_", .alnum, 40, 40))
        r.append(TokenRule(k("notion_token"), "secret_", .alnum, 43, 43, .containsDigit))
        r.append(TokenRule(k("notion_token"), "ntn_", .alnum, 46, 46))
        r.append(TokenRule(k("figma_token"), "figd_", .base64url, 40, 40))
        r.append(TokenRule(k("atlassian_api_token"), "ATATT3", Alphabet.base64url + Alphabet("="), 150, 250))
        r.append(TokenRule(k("bitbucket_app_password"), "ATBB", .alnum, 32, 32))
        r.append(TokenRule(k("postman_api_key"), "PMAK-", Alphabet.hexLower + Alphabet("-"), 59, 59))
        r.append(TokenRule(k("dropbox_token"), "sl.", .base64url, 130, 1100))
        r.append(TokenRule(k("posthog_personal_key"), "phx_", .alnum, 43, 43))
        r.append(TokenRule(k("readme_api_key"), "rdme_", .alnum, 70, 70))
        r.append(TokenRule(k("adafruit_io_key"), "aio_", .alnum, 28, 28))
        r.append(TokenRule(k("prefect_api_key"), "pnu_", .alnum, 36, 36))
        r.append(TokenRule(k("typeform_token"), "tfp_", Alphabet.base64urlDot + Alphabet("="), 44, 59))
        r.append(TokenRule(k("frameio_token"), "fio-u-", .base64url, 64, 64))
        r.append(TokenRule(k("contentful_token"), "CFPAT-", .base64url, 43, 43))
        r.append(TokenRule(k("sourcegraph_token"), "sgp_", .alnumUnderscore, 40, 80))
        r.append(TokenRule(k("facebook_access_token"), "EAACEdEose0cBA", .alnum, 20, 300))
        r.append(TokenRule(k("facebook_access_token"), "EAAC", .alnum, 100, 400, .containsDigit))
        r.append(TokenRule(k("facebook_access_token"), "EAAM", .alnum, 100, 400, .containsDigit))
        r.append(TokenRule(k("octopus_deploy_api_key"), "API-", .upperDigits, 26, 26, .containsDigit))
        r.append(TokenRule(k("cloudflare_origin_ca_key"), "v1.0-", Alphabet.hexLower + Alphabet("-"), 171, 171))
        r.append(TokenRule(k("onepassword_service_token"), "ops_eyJ", .base64Padded, 250, 2000))
        r.append(TokenRule(k("harness_pat"), "pat.", .base64urlDot, 68, 68))
        r.append(TokenRule(k("mapbox_secret_token"), "sk.eyJ", .base64urlDot, 80, 300))
        r.append(TokenRule(k("airtable_pat"), "pat", Alphabet.alnum + Alphabet("."), 79, 79, .airtablePAT))
        // Webhook URLs that embed their own secret.
        for p in ["https://discord.com/api/webhooks/", "https://discordapp.com/api/webhooks/"] {
            r.append(TokenRule(k("discord_webhook"), p, Alphabet.base64url + Alphabet("/"), 60, 140, .containsDigit))
        }
        r.append(TokenRule(k("zapier_webhook"), "https://hooks.zapier.com/hooks/catch/", Alphabet.alnum + Alphabet("/"), 10, 60, .containsDigit))
        // Identifier-shaped keys with a distinctive prefix.
        r.append(TokenRule(k("launchdarkly_key"), "sdk-", Alphabet.hexLower + Alphabet("-"), 36, 36))
        r.append(TokenRule(k("launchdarkly_key"), "api-", Alphabet.hexLower + Alphabet("-"), 36, 36))
        r.append(TokenRule(k("plaid_access_token"), "access-sandbox-", Alphabet.hexLower + Alphabet("-"), 36, 36))
        r.append(TokenRule(k("plaid_access_token"), "access-development-", Alphabet.hexLower + Alphabet("-"), 36, 36))
        r.append(TokenRule(k("braintree_access_token"), "access_token$production$", Alphabet.alnum + Alphabet("$"), 49, 49))
        r.append(TokenRule(k("braintree_access_token"), "access_token$sandbox$", Alphabet.alnum + Alphabet("$"), 49, 49))
        r.append(TokenRule(k("newrelic_api_key"), "NRII-", .base64url, 32, 32))
        r.append(TokenRule(k("pinecone_api_key"), "pcsk_", .alnumUnderscore, 60, 100, .containsDigit))
        return r
    }()
}
