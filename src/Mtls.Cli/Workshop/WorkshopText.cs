namespace Mtls.Cli.Workshop;

/// <summary>
/// Every sentence the workshop prints, in English and Japanese. Japanese follows the seed's own terms
/// (認証局, サーバー証明書, クライアント証明書, 秘密鍵, CSR).
/// </summary>
internal sealed class WorkshopText(bool japanese)
{
    public bool Japanese { get; } = japanese;

    public string this[string key] => Texts.TryGetValue(key, out var t) ? (Japanese ? t.Ja : t.En) : key;

    public string F(string key, params object[] args) => string.Format(System.Globalization.CultureInfo.InvariantCulture, this[key], args);

    /// <summary>--lang wins; else the locale (<see cref="Pki.Text.Language.FromEnvironment"/>).</summary>
    public static bool PickJapanese(string? lang, Func<string, string?> env) =>
        Pki.Text.Language.IsJapanese(Pki.Text.Language.Choose(lang, env));

    private static readonly Dictionary<string, (string En, string Ja)> Texts = new()
    {
        ["title"] = ("mtls workshop: mutual TLS, step by step", "mtls ワークショップ: mTLS を一歩ずつ体験する"),
        ["intro"] = ("Every step of the mTLS workshop, done by mtls. Files go to {0} in the workshop's layout (server-ca/, server/, client-ca/, client/).",
                     "mTLS ワークショップの全手順を mtls で実行します。ファイルはワークショップと同じ構成 (server-ca/, server/, client-ca/, client/) で {0} に作られます。"),
        ["fresh"] = ("--fresh: removed the files of a previous run.", "--fresh: 前回の実行で作ったファイルを削除しました。"),
        ["part1"] = ("Part 1: a private CA for server certificates, and an HTTPS server", "第1部: サーバー証明書用のプライベート認証局と HTTPS サーバー"),
        ["part2"] = ("Part 2: client certificates and an mTLS server", "第2部: クライアント証明書と mTLS サーバー"),
        ["part3"] = ("Part 3: what mTLS refuses", "第3部: mTLS が拒否するもの"),
        ["role.ca"] = ("server CA administrator", "サーバー証明書認証局の管理者"),
        ["role.clientca"] = ("client CA administrator (= the server administrator)", "クライアント証明書認証局の管理者 (= サーバー管理者)"),
        ["role.server"] = ("server administrator", "サーバー管理者"),
        ["role.client"] = ("client administrator", "クライアントサービスの管理者"),
        ["role.anyone"] = ("client (anyone on the network)", "クライアント (ネットワーク上の誰でも)"),
        ["role.attacker"] = ("someone without a valid client certificate", "正しいクライアント証明書を持たない誰か"),

        ["s.serverca"] = ("Create the server CA", "サーバー証明書認証局を作る"),
        ["s.serverca.why"] = ("A CA is a private key and a certificate. This one signs itself: a private root CA that only your own clients will trust.",
                              "認証局とは、認証局としての秘密鍵と証明書のことです。今回は自己署名なので、自分のクライアントだけが信頼するプライベートルート認証局になります。"),
        ["s.serverkey"] = ("Create the server's private key", "サーバーの秘密鍵を作る"),
        ["s.serverkey.why"] = ("The server administrator makes the key; it never leaves the server.", "秘密鍵はサーバー管理者が作り、サーバーの外に出しません。"),
        ["s.servercsr"] = ("Create the server's CSR (CN=localhost)", "サーバーの CSR を作る (CN=localhost)"),
        ["s.servercsr.why"] = ("The CSR carries the subject and the public key, signed with the private key; it is what the server administrator hands to the CA.",
                               "CSR には Subject と公開鍵が入っていて、秘密鍵で署名されています。サーバー管理者はこれを認証局に渡します。"),
        ["s.serversign"] = ("Sign the server certificate", "サーバー証明書を発行する"),
        ["s.serversign.why"] = ("The CA signs the CSR with its private key. mtls adds what modern clients require and openssl x509 -req leaves out: SAN DNS:localhost, serverAuth, CA:FALSE.",
                                "認証局が自身の秘密鍵で CSR に署名します。mtls は openssl x509 -req では付かない、現在のクライアントが必要とする拡張 (SAN DNS:localhost、serverAuth、CA:FALSE) を付けます。"),
        ["s.https"] = ("Start the HTTPS server (no client authentication)", "HTTPS サーバーを動かす (クライアント認証なし)"),
        ["s.https.why"] = ("The server needs its certificate and private key (the seed's server-no-client-auth.go).",
                           "HTTPS サーバーにはサーバー証明書とその秘密鍵が必要です (ワークショップの server-no-client-auth.go に相当)。"),
        ["s.http"] = ("Access with http://", "http:// でアクセスする"),
        ["s.http.why"] = ("The port speaks TLS; a plain HTTP request is answered with 400.", "このポートは TLS を話すので、平文の HTTP リクエストは 400 で拒否されます。"),
        ["s.notrust"] = ("Access with https:// but without trusting the CA", "認証局を指定せずに https:// でアクセスする"),
        ["s.notrust.why"] = ("The client does not know our private CA, so it cannot trust the server certificate.",
                             "クライアントはプライベート認証局を知らないので、サーバー証明書を信頼できません。"),
        ["s.insecure"] = ("Access ignoring certificate errors (-k)", "証明書エラーを無視してアクセスする (-k)"),
        ["s.insecure.why"] = ("Works, but anyone could impersonate the server: for experiments only.", "接続はできますが、誰でもサーバーになりすませます。実験以外では使いません。"),
        ["s.cacert"] = ("Access trusting the server certificate (--cacert)", "サーバー証明書を指定してアクセスする (--cacert)"),
        ["s.cacert.why"] = ("As in the seed, the client is given server.crt to trust; giving the CA (server-ca.crt) works the same and scales to many servers.",
                            "ワークショップと同じく server.crt を信頼する証明書として渡します。認証局の証明書 (server-ca.crt) を渡しても同じで、こちらは複数のサーバーに使えます。"),
        ["s.clientca"] = ("Create the client CA", "クライアント証明書認証局を作る"),
        ["s.clientca.why"] = ("Issuing a client certificate defines who may access the server, so the server administrator runs this CA.",
                              "クライアント証明書の発行はサーバーにアクセスできる人を決めることなので、この認証局はサーバー管理者が運用します。"),
        ["s.clientkey"] = ("Create the client's private key", "クライアントの秘密鍵を作る"),
        ["s.clientkey.why"] = ("The client administrator makes it; a key is a key, for servers and clients alike.", "クライアントサービスの管理者が作ります。秘密鍵の作り方はサーバーもクライアントも同じです。"),
        ["s.clientcsr"] = ("Create the client's CSR (CN=Super Client)", "クライアントの CSR を作る (CN=Super Client)"),
        ["s.clientcsr.why"] = ("A client's CN need not be a domain name. The CSR goes to the client CA, that is, to the server administrator.",
                               "クライアントの場合、CN はドメイン名である必要はありません。CSR はクライアント証明書認証局 = サーバー管理者に渡します。"),
        ["s.clientsign"] = ("Sign the client certificate", "クライアント証明書を発行する"),
        ["s.clientsign.why"] = ("The client CA signs it for clientAuth; it goes back to the client administrator.",
                                "クライアント証明書認証局が clientAuth 用に署名し、クライアントサービスの管理者に返します。"),
        ["s.mtls"] = ("Start the HTTPS server that requires a client certificate", "クライアント証明書を要求する HTTPS サーバーを動かす"),
        ["s.mtls.why"] = ("Besides its own certificate and key, the server needs the client CA's certificate: it trusts that CA and nothing else (the seed's server-require-client-auth.go).",
                          "サーバー証明書と秘密鍵に加えて、クライアント証明書認証局の証明書が必要です。サーバーはこの認証局だけを信頼します (ワークショップの server-require-client-auth.go に相当)。"),
        ["s.mtlsget"] = ("Access with the client certificate", "クライアント証明書を使ってアクセスする"),
        ["s.mtlsget.why"] = ("The client proves who it is with its certificate and key; the server logs the client's subject.",
                             "クライアントは証明書と秘密鍵で自分が誰かを証明し、サーバーはクライアント証明書の Subject をログに出します。"),
        ["s.nocert"] = ("Access the mTLS server without a client certificate", "クライアント証明書なしで mTLS サーバーにアクセスする"),
        ["s.nocert.why"] = ("No certificate, no access.", "証明書がなければアクセスできません。"),
        ["s.impostor"] = ("Access with a certificate from an impostor CA of the same name", "同じ名前の偽の認証局が発行した証明書でアクセスする"),
        ["s.impostor.why"] = ("Anyone can make a CA called CN=ca.client.example.com; what counts is the CA's key, and the server checks the signature.",
                              "CN=ca.client.example.com という名前の認証局は誰でも作れます。大事なのは認証局の鍵で、サーバーは署名を検証します。"),

        ["wrote"] = ("wrote", "作成"),
        ["reused"] = ("reused", "再利用"),
        ["reused.note"] = ("(exists from an earlier run; --fresh to recreate)", "(前回の実行で作成済み。作り直すには --fresh)"),
        ["subject"] = ("subject", "Subject"),
        ["issuer"] = ("issuer", "発行者"),
        ["valid"] = ("valid", "有効期間"),
        ["sans"] = ("SANs", "SAN"),
        ["note"] = ("note", "注意"),
        ["listening"] = ("listening on {0}", "{0} で待ち受け中"),
        ["portbusy"] = ("port {0} is busy; using free port {1} instead", "ポート {0} は使用中のため、空いているポート {1} を使います"),
        ["serverlog"] = ("server log", "サーバーログ"),
        ["openssl"] = ("openssl/go", "openssl/go"),
        ["yourself"] = ("try it", "自分で試す"),
        ["curl"] = ("curl", "curl"),
        ["expected.ok"] = ("succeeds", "成功する"),
        ["expected.fail"] = ("fails", "失敗する"),
        ["ok"] = ("ok", "OK"),
        ["failed.expected"] = ("failed, as expected", "想定どおり失敗"),
        ["unexpected"] = ("UNEXPECTED", "想定外"),
        ["body"] = ("response", "レスポンス"),
        ["reason"] = ("reason", "理由"),

        ["summary"] = ("Summary", "結果のまとめ"),
        ["col.tool"] = ("tool", "ツール"),
        ["selfsigned"] = ("self-signed", "自己署名"),
        ["expiresin"] = ("expires in {0} days", "残り {0} 日"),
        ["col.step"] = ("step", "ステップ"),
        ["col.expected"] = ("expected", "期待"),
        ["col.actual"] = ("actual", "実際"),
        ["col.result"] = ("result", "判定"),
        ["pass"] = ("pass", "合格"),
        ["fail"] = ("FAIL", "不合格"),
        ["allpassed"] = ("All {0} steps behaved as expected.", "全 {0} ステップが想定どおりに動作しました。"),
        ["somefailed"] = ("{0} of {1} steps did not behave as expected.", "{1} ステップ中 {0} ステップが想定どおりに動作しませんでした。"),
        ["closing"] = ("That is mTLS. In practice the hard part is running the CA: renewal before expiry, revocation, and keeping CA keys safe.",
                       "以上が mTLS の基本的な動作です。実際の運用では、認証局の運用や期限切れ前の更新、失効、認証局の秘密鍵の保護が難しいところです。"),
        ["goon"] = ("Its CAs are real: each records what it signs (server-ca/server-ca.db, client-ca/client-ca.db). Go on with: mtls ca list --ca-cert {0}, then mtls cert renew, mtls ca revoke, mtls ca crl.",
                    "この認証局は本物です。発行した証明書はそれぞれの台帳 (server-ca/server-ca.db、client-ca/client-ca.db) に記録されています。続けて: mtls ca list --ca-cert {0}、そして mtls cert renew、mtls ca revoke、mtls ca crl。"),
        ["keeprunning"] = ("Both servers keep running; press Ctrl+C to stop. Try:", "両方のサーバーが動き続けます。Ctrl+C で停止します。試してみましょう:"),
        ["stopped"] = ("Servers stopped.", "サーバーを停止しました。"),
        ["nocurl"] = ("(curl is not installed: only mtls's own client was used)", "(curl がインストールされていないため、mtls のクライアントだけで試しました)"),
    };
}
