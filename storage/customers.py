"""Customer rows and their invoice-number counters. A customer's `id` is its
number within its account; `pk` is the row's own key, which invoices refer to and
the API never shows (it counts every account's customers)."""

from storage.engine import Tx
from storage.stored_json import parsed, written

COLUMNS = "id, number, code, fields, created_at, updated_at"
NEWEST = 9223372036854775807


def record(row: dict | None) -> dict | None:
    if row is None:
        return None
    return {"pk": row["id"], "id": row["number"], "code": row["code"], **parsed(row["fields"]),
            "created_at": row["created_at"], "updated_at": row["updated_at"]}


def by_id(tx: Tx, account_id: int, customer_id: int) -> dict | None:
    """The account's customer with this id (its number in the account)."""
    return record(tx.one(f"SELECT {COLUMNS} FROM customers WHERE account_id = ? AND number = ?",
                         [account_id, customer_id]))


def of_invoice(tx: Tx, customer_pk: int) -> dict:
    """The customer an invoice bills (the invoice already proves whose it is)."""
    return record(tx.one(f"SELECT {COLUMNS} FROM customers WHERE id = ?", [customer_pk]))


def by_key(tx: Tx, account_id: int, column: str, key: str) -> dict | None:
    """The first customer whose `company_key` or `email_key` is `key`."""
    assert column in ("company_key", "email_key")
    return record(tx.one(
        f"SELECT {COLUMNS} FROM customers WHERE account_id = ? AND {column} = ? ORDER BY id LIMIT 1",
        [account_id, key],
    ))


def numbered(tx: Tx, account_id: int, column: str, value) -> tuple[dict, int] | None:
    """The first customer whose `column` is `value` ("number": its id in the account;
    "company_key" or "email_key"), and its next invoice sequence number, consumed in the
    same statement: None if there is none. The UPDATE holds the counter's row lock until
    the unit of work ends, so concurrent creates queue here, and a rollback gives the
    number back: never a gap, never a duplicate."""
    assert column in ("number", "company_key", "email_key")
    row = tx.one(
        "UPDATE customers SET next_number = next_number + 1 WHERE id = (SELECT id FROM customers"
        f" WHERE account_id = ? AND {column} = ? ORDER BY id LIMIT 1) RETURNING {COLUMNS}, next_number - 1 AS taken",
        [account_id, value],
    )
    return None if row is None else (record(row), row["taken"])


def code_taken(tx: Tx, account_id: int, code: str) -> bool:
    return tx.one("SELECT 1 AS taken FROM customers WHERE account_id = ? AND code = ?", [account_id, code]) is not None


def insert(tx: Tx, account_id: int, code: str, keys: dict, fields: dict, now: str) -> dict:
    """Add a customer numbered after the account's last one. The caller holds the
    account's customer lock until its unit of work ends, so no two creates read the
    same last number, and a rollback leaves no hole."""
    number = tx.value("SELECT COALESCE(MAX(number), 0) + 1 AS number FROM customers WHERE account_id = ?",
                      [account_id])
    row = {"account_id": account_id, "number": number, "code": code, **keys, "fields": written(fields),
           "created_at": now, "updated_at": now}
    return record(tx.insert("customers", row, returning=COLUMNS))


def save(tx: Tx, customer_pk: int, keys: dict, fields: dict, now: str) -> None:
    tx.update("customers", {"id": customer_pk}, {"fields": written(fields), **keys, "updated_at": now})


def fields_of(tx: Tx, customer_pk: int) -> dict:
    return parsed(tx.value(f"SELECT fields FROM customers WHERE id = ?{tx.for_update}", [customer_pk]))


def give_back_number(tx: Tx, customer_pk: int, sequence: int) -> bool:
    """Return `sequence` to the counter if it is the last one taken: whether it was.
    Holds the counter's row lock, so a create racing with it cannot take it meanwhile."""
    return tx.run("UPDATE customers SET next_number = next_number - 1 WHERE id = ? AND next_number = ?",
                  [customer_pk, sequence + 1]) == 1


def page(tx: Tx, account_id: int, before: int | None, limit: int) -> list[dict]:
    rows = tx.all(
        f"SELECT {COLUMNS} FROM customers WHERE account_id = ? AND number < ? ORDER BY number DESC LIMIT ?",
        [account_id, NEWEST if before is None else before, limit + 1],
    )
    return [record(row) for row in rows]
