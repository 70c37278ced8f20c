namespace Mtls.Cli.Commands.Serve;

/// <summary>mtls serve --log-format: lines for people (default) or one JSON object per line for log collectors.</summary>
internal enum LogFormat
{
    Text,
    Json,
}
