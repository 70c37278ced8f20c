namespace Mtls.Pki.Inventory;

/// <summary>The SQL dialects the inventory's one schema is rendered in (<see cref="InventorySql.Render"/>).</summary>
public enum InventoryDialect { Sqlite, Postgres }
