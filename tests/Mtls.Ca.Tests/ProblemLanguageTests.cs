using System.Globalization;
using Mtls.Client.Online;
using Mtls.Pki.Text;

namespace Mtls.Ca.Tests;

/// <summary>A refusal is said in the client's language (Accept-Language), its type the same in every language.</summary>
public class ProblemLanguageTests
{
    [Fact]
    public async Task A_japanese_client_gets_the_refusal_in_japanese_with_the_same_type()
    {
        await using var ca = await RunningCa.StartAsync();
        var token = ca.Token();
        using (var english = ca.Client())
            Assert.NotNull((await english.EnrollAsync(token, RunningCa.Csr().Csr, null)).Issued);
        var saved = CultureInfo.CurrentUICulture;
        OnlineCaClient japanese;
        try
        {
            CultureInfo.CurrentUICulture = Language.Japanese;
            japanese = ca.Client();
        }
        finally
        {
            CultureInfo.CurrentUICulture = saved;
        }
        using (japanese)
        {
            var problem = ca.Refused(await japanese.EnrollAsync(token, RunningCa.Csr().Csr, null), "token-used");
            Assert.Equal("登録トークンは使用済みです", problem.Title);
            Assert.Contains("使用済み", problem.Detail);
        }
    }
}
