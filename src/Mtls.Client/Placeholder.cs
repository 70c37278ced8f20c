namespace Mtls.Client;
