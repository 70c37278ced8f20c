using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Mtls.Server;

/// <summary>
/// Connection middleware placed just before UseHttps: ends the connection at once, with an alert, when a
/// client asks to renegotiate (TLS 1.2), instead of holding it until the keep-alive timeout.
///
/// Why it is needed. SslStream on Linux passes each record to OpenSSL's SSL_read but never sends what
/// SSL_read queues for the client: with renegotiation refused (NoRenegotiation in the serve process's
/// OpenSSL configuration, <see cref="TlsCipherSuites"/>) OpenSSL answers a renegotiating ClientHello with a
/// no_renegotiation alert that stayed in memory while the client waited for a ServerHello and the server
/// for a request: 31 s (the keep-alive timeout). Without NoRenegotiation OpenSSL starts the new handshake
/// and SslStream gives up with an IOException: a silent close.
///
/// How. Below TLS the record headers are plain text. After the client's ChangeCipherSpec its first
/// handshake record is its Finished (or, in TLS 1.3, a second ClientHello after a HelloRetryRequest);
/// a later handshake record can only be a renegotiation (TLS 1.3 sends post-handshake messages inside
/// application-data records). At that record the guard ends the client's input, as if it had closed:
/// the HTTP connection ends, and <see cref="TlsClose"/> sends close_notify, which also carries out what
/// OpenSSL queued. When OpenSSL refuses renegotiation itself the record is handed to it first, so the
/// client gets no_renegotiation and close_notify (nginx sends the same); otherwise it is withheld, so
/// that OpenSSL never starts a handshake we would abandon, and the client gets close_notify alone.
/// </summary>
internal static class RenegotiationGuard
{
    private const byte ChangeCipherSpec = 0x14;
    private const byte Handshake = 0x16;
    private const int RecordHeader = 5;

    /// <param name="log">Where the refusal is logged.</param>
    /// <param name="openSslRefuses">True when OpenSSL runs with NoRenegotiation (the `mtls serve` process).</param>
    public static Func<ConnectionDelegate, ConnectionDelegate> Create(ServerLog log, bool openSslRefuses) => next => async connection =>
    {
        var original = connection.Transport;
        var input = new GuardedInput(original.Input, openSslRefuses, () =>
            HandshakeFailures.Write(log, nameof(Resources.Strings.Handshake_RenegotiationRefused), connection,
                log.Say(nameof(Resources.Strings.Renegotiation_Refused))));
        connection.Transport = new GuardedPipe(input, original.Output);
        connection.Features.Set(input);
        try { await next(connection); }
        finally { connection.Transport = original; }
    };

    /// <summary>
    /// Connection middleware placed after UseHttps: a TLS 1.3 connection cannot renegotiate (its
    /// post-handshake messages travel inside application-data records), so its guard stops reading
    /// record headers and passes the client's bytes through: no work per request on the keep-alive path.
    /// </summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> AfterHandshake() => next => connection =>
    {
        if (connection.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>()?.Protocol == System.Security.Authentication.SslProtocols.Tls13)
            connection.Features.Get<GuardedInput>()?.PassThrough();
        return next(connection);
    };

    private sealed class GuardedPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>
    /// The client's bytes, unchanged, up to the end of input it is given when a renegotiation starts.
    /// Offsets are counted from the first byte the reader of this pipe has not consumed.
    /// </summary>
    private sealed class GuardedInput(PipeReader inner, bool passRenegotiation, Action refused) : PipeReader
    {
        private volatile bool _passThrough;    // TLS 1.3: nothing left to watch
        private long _nextRecord;              // where the next record header starts
        private long _end = long.MaxValue;     // where the client's input ends for the reader (set on a renegotiation)
        private bool _changedCipherSpec;
        private bool _finishedSeen;
        private ReadOnlySequence<byte> _shown; // the buffer last returned, to measure what AdvanceTo consumed
        private bool _shownFromInner;          // false after Ended(): then there is no inner read to advance

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            if (_end == 0) return Ended();
            return Guard(await inner.ReadAsync(cancellationToken));
        }

        public override bool TryRead(out ReadResult result)
        {
            if (_end == 0)
            {
                result = Ended();
                return true;
            }
            if (!inner.TryRead(out result)) return false;
            result = Guard(result);
            return true;
        }

        private ReadResult Ended()
        {
            _shown = ReadOnlySequence<byte>.Empty;
            _shownFromInner = false;
            return new ReadResult(_shown, isCanceled: false, isCompleted: true);
        }

        /// <summary>Stops watching: from the next read on, the client's bytes pass as they are.</summary>
        public void PassThrough() => _passThrough = true;

        private ReadResult Guard(ReadResult result)
        {
            if (_passThrough)
            {
                _shownFromInner = true;
                _shown = ReadOnlySequence<byte>.Empty; // AdvanceTo has no offsets to keep
                return result;
            }
            var buffer = result.Buffer;
            _shownFromInner = true;
            Span<byte> header = stackalloc byte[RecordHeader];
            while (_end == long.MaxValue && _nextRecord + RecordHeader <= buffer.Length)
            {
                buffer.Slice(_nextRecord, RecordHeader).CopyTo(header);
                var start = _nextRecord;
                _nextRecord += RecordHeader + (header[3] << 8 | header[4]);
                if (header[0] == ChangeCipherSpec) _changedCipherSpec = true;
                else if (header[0] == Handshake && _changedCipherSpec)
                {
                    if (!_finishedSeen) _finishedSeen = true;
                    else
                    {
                        _end = passRenegotiation ? _nextRecord : start;
                        refused();
                    }
                }
            }
            if (_end == long.MaxValue)
            {
                _shown = buffer;
                return result;
            }
            _shown = buffer.Slice(0, Math.Min(_end, buffer.Length));
            return new ReadResult(_shown, result.IsCanceled, isCompleted: _shown.Length == _end || result.IsCompleted);
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            if (_shown.Length > 0)
            {
                var length = _shown.Slice(0, consumed).Length;
                _nextRecord -= length;
                if (_end != long.MaxValue) _end -= length;
            }
            if (_shownFromInner) inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
