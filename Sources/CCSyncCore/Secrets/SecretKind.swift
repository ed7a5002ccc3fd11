/// The high-confidence secret formats the guard knows. Each has a fixed prefix, an exact length and
/// charset, and boundaries on both sides, so prose about a format ("set sk-ant-... here"), identifiers
/// that merely contain a prefix, hashes, UUIDs and base64 blobs do not trigger it.
///
/// The raw value is what messages show ("GitHub token on line 12"); `id` is the short ASCII name
/// used in the redaction marker.
public enum SecretKind: String, CaseIterable, Sendable {
    case privateKey = "private key block"
    case awsAccessKeyID = "AWS access key id"
    case gitHubToken = "GitHub token"
    case gitHubFineGrainedToken = "GitHub fine-grained token"
    case gitLabToken = "GitLab token"
    case anthropicAPIKey = "Anthropic API key"
    case anthropicAdminKey = "Anthropic admin key"
    case anthropicOAuthToken = "Anthropic OAuth token"
    case openAIAPIKey = "OpenAI API key"
    case slackToken = "Slack token"
    case slackWebhook = "Slack webhook URL"
    case stripeKey = "Stripe secret key"
    case googleAPIKey = "Google API key"
    case npmToken = "npm token"
    case pyPIToken = "PyPI token"
    case sendGridKey = "SendGrid API key"
    case huggingFaceToken = "Hugging Face token"
    case digitalOceanToken = "DigitalOcean token"
    case shopifyToken = "Shopify token"
    case ageSecretKey = "age secret key"
    case groqKey = "Groq API key"
    case linearKey = "Linear API key"
    case postmanKey = "Postman API key"
    case dopplerToken = "Doppler token"
    case vaultToken = "HashiCorp Vault token"
    case pulumiToken = "Pulumi access token"

    /// Lower-case letters and dashes only, so a marker built from it can never match a format itself.
    public var id: String {
        switch self {
        case .privateKey: "private-key"
        case .awsAccessKeyID: "aws-access-key-id"
        case .gitHubToken: "github-token"
        case .gitHubFineGrainedToken: "github-fine-grained-token"
        case .gitLabToken: "gitlab-token"
        case .anthropicAPIKey: "anthropic-api-key"
        case .anthropicAdminKey: "anthropic-admin-key"
        case .anthropicOAuthToken: "anthropic-oauth-token"
        case .openAIAPIKey: "openai-api-key"
        case .slackToken: "slack-token"
        case .slackWebhook: "slack-webhook"
        case .stripeKey: "stripe-secret-key"
        case .googleAPIKey: "google-api-key"
        case .npmToken: "npm-token"
        case .pyPIToken: "pypi-token"
        case .sendGridKey: "sendgrid-api-key"
        case .huggingFaceToken: "hugging-face-token"
        case .digitalOceanToken: "digitalocean-token"
        case .shopifyToken: "shopify-token"
        case .ageSecretKey: "age-secret-key"
        case .groqKey: "groq-api-key"
        case .linearKey: "linear-api-key"
        case .postmanKey: "postman-api-key"
        case .dopplerToken: "doppler-token"
        case .vaultToken: "vault-token"
        case .pulumiToken: "pulumi-token"
        }
    }
}
