"""Vectorised currency and amount rules: minor-unit digits per currency, exact minor units."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from txnpipe.domain.amounts import MAX_INTEGER_DIGITS
from txnpipe.domain.rules import SUPPORTED_CURRENCIES

_CODES = pa.array(list(SUPPORTED_CURRENCIES), pa.string())
_DIGITS = pa.array(list(SUPPORTED_CURRENCIES.values()), pa.int32())
#: Largest minor-unit digits of any currency: the scale of the exact decimal parse.
_SCALE = max(SUPPORTED_CURRENCIES.values())
_DECIMAL = pa.decimal128(MAX_INTEGER_DIGITS + _SCALE, _SCALE)


def currency_digits(currencies: pa.Array) -> pa.Array:
    """Minor-unit digits of each supported currency code; null where it is not supported."""
    return pc.take(_DIGITS, pc.index_in(currencies, value_set=_CODES))


def amount_mask(amounts: pa.Array, digits: pa.Array) -> pa.Array:
    """True where the amount text is ``[0-9]{1,12}(.[0-9]+)?`` with at most ``digits`` decimals.

    ``> 0`` is checked on the minor units (:func:`minor_units`). Rows with a null ``digits``
    (unsupported currency) are False.
    """
    length = pc.binary_length(amounts)
    rest = pc.ascii_trim(amounts, "0123456789")  # "" = only digits, "." = digits.digits
    plain = pc.equal(rest, "")
    dotted = pc.equal(rest, ".")
    dot = pc.find_substring(amounts, ".")
    integer = pc.if_else(plain, length, dot)
    fraction = pc.if_else(plain, 0, pc.subtract(pc.subtract(length, dot), 1))
    shape = pc.or_(plain, pc.and_(dotted, pc.greater(fraction, 0)))
    sizes = pc.and_(pc.greater(integer, 0), pc.less_equal(integer, MAX_INTEGER_DIGITS))
    ok = pc.and_(pc.and_(shape, sizes), pc.less_equal(fraction, digits))
    return pc.fill_null(ok, False)


def minor_units(amounts: pa.Array, ok: pa.Array, digits: pa.Array) -> pa.Array:
    """Exact integer minor units (int64) of the ``ok`` amounts (0 elsewhere); no float involved.

    The text is parsed as a decimal with the largest scale (2); its unscaled integer is the
    amount in hundredths, divided by 10**(2 - digits) for currencies with fewer digits (whose
    ``ok`` amounts have at most ``digits`` decimals, so the division is exact).
    """
    safe = pc.if_else(ok, amounts, "0")
    unscaled = pc.cast(safe, _DECIMAL)
    count = len(unscaled)
    # A decimal128 is two little-endian 64-bit words; the low word is the value (|x| < 10**14).
    words = pa.Array.from_buffers(pa.int64(), 2 * count, [None, unscaled.buffers()[1]],
                                  offset=2 * unscaled.offset)
    scaled = pc.list_element(pa.FixedSizeListArray.from_arrays(words, 2), 0)
    fewer = pc.fill_null(pc.less(digits, _SCALE), False)
    if not pc.any(fewer).as_py():
        return scaled
    divisor = pc.power(pa.scalar(10, pa.int64()), pc.subtract(_SCALE, pc.cast(digits, pa.int64())))
    return pc.if_else(fewer, pc.divide(scaled, divisor), scaled)
