using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Helix.Storage.Sqlite;

/// <summary>
/// One statement prepared once on the writer connection and executed per row with SQLite's own bind calls, by
/// position: the operation log's hot write path, where Microsoft.Data.Sqlite's <see cref="SqliteCommand"/> would
/// allocate per parameter per row (a binder, the parameter's name re-encoded to look up its index, each number boxed).
/// </summary>
/// <remarks>
/// <para>
/// The SQL names its parameters <c>$p0</c>, <c>$p1</c>, …; their indexes are looked up once here. Values are bound
/// as Microsoft.Data.Sqlite binds the same .NET values (text as UTF-8, integers as 64-bit, booleans as 0 or 1,
/// doubles as REAL, null as NULL), so a row reads back the same whichever wrote it. Text and formatted values are
/// encoded into one scratch buffer that SQLite copies (<c>SQLITE_TRANSIENT</c>), so a bound value holds no reference.
/// </para>
/// <para>
/// It runs in whatever transaction the connection has open (the caller's IMMEDIATE one); not thread-safe: used only
/// under the database's write gate. Dispose it before the connection is closed; <see cref="Handle"/> says which
/// connection it belongs to.
/// </para>
/// </remarks>
internal sealed class SqliteRowStatement : IDisposable
{
    private const string DateFormat = "yyyy-MM-dd";
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _indexes;
    private byte[] _scratch = new byte[256];

    /// <summary>Prepares <paramref name="sql"/>, whose parameters are <c>$p0</c> to <c>$p{count - 1}</c>, on the open <paramref name="connection"/>.</summary>
    public SqliteRowStatement(SqliteConnection connection, string sql, int parameterCount)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
        _indexes = new int[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            _indexes[i] = raw.sqlite3_bind_parameter_index(_statement, "$p" + i.ToString(CultureInfo.InvariantCulture));
            if (_indexes[i] == 0)
            {
                _statement.Dispose();
                throw new ArgumentException($"The statement has no parameter $p{i}.", nameof(sql));
            }
        }
    }

    /// <summary>The native connection the statement was prepared on.</summary>
    public sqlite3 Handle => _db;

    /// <summary>Binds text, or NULL when <paramref name="value"/> is null.</summary>
    public void Text(int parameter, string? value)
    {
        if (value is null)
        {
            Null(parameter);
            return;
        }

        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > _scratch.Length)
        {
            _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        }

        var written = Encoding.UTF8.GetBytes(value, _scratch);
        Check(raw.sqlite3_bind_text(_statement, _indexes[parameter], _scratch.AsSpan(0, written)));
    }

    /// <summary>Binds a decimal as invariant text (exactly as <c>decimal.ToString(CultureInfo.InvariantCulture)</c>), or NULL.</summary>
    public void Decimal(int parameter, decimal? value)
    {
        if (value is not { } d)
        {
            Null(parameter);
            return;
        }

        Formatted(parameter, d, default);
    }

    /// <summary>Binds an instant as the log's UTC timestamp text (<c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>).</summary>
    public void Timestamp(int parameter, DateTimeOffset value) => Formatted(parameter, value.UtcDateTime, TimestampFormat);

    /// <summary>Binds a date as <c>yyyy-MM-dd</c>, or NULL.</summary>
    public void Date(int parameter, DateOnly? value)
    {
        if (value is not { } date)
        {
            Null(parameter);
            return;
        }

        Formatted(parameter, date, DateFormat);
    }

    /// <summary>Binds a 64-bit integer.</summary>
    public void Integer(int parameter, long value) => Check(raw.sqlite3_bind_int64(_statement, _indexes[parameter], value));

    /// <summary>Binds an integer, or NULL.</summary>
    public void NullableInteger(int parameter, int? value)
    {
        if (value is { } v)
        {
            Integer(parameter, v);
        }
        else
        {
            Null(parameter);
        }
    }

    /// <summary>Binds a boolean as 1 or 0.</summary>
    public void Boolean(int parameter, bool value) => Integer(parameter, value ? 1L : 0L);

    /// <summary>Binds a double as REAL; NaN is refused, as Microsoft.Data.Sqlite refuses it.</summary>
    public void Real(int parameter, double value)
    {
        if (double.IsNaN(value))
        {
            throw new InvalidOperationException("Cannot store NaN values.");
        }

        Check(raw.sqlite3_bind_double(_statement, _indexes[parameter], value));
    }

    /// <summary>Binds NULL.</summary>
    public void Null(int parameter) => Check(raw.sqlite3_bind_null(_statement, _indexes[parameter]));

    /// <summary>Runs the statement once with what is bound, then resets it for the next row.</summary>
    public void Execute()
    {
        int rc;
        try
        {
            rc = raw.sqlite3_step(_statement);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }

        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _statement.Dispose();

    private void Formatted<T>(int parameter, T value, ReadOnlySpan<char> format)
        where T : IUtf8SpanFormattable
    {
        int written;
        while (!value.TryFormat(_scratch, out written, format, CultureInfo.InvariantCulture))
        {
            _scratch = new byte[_scratch.Length * 2];
        }

        Check(raw.sqlite3_bind_text(_statement, _indexes[parameter], _scratch.AsSpan(0, written)));
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
