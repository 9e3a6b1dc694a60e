"""ISO 4217 currencies in circulation and their minor-unit exponents.

Data only. Codes not listed under an exponent use 2 (cents). Precious metals,
testing codes and bond-market units are left out: nobody invoices in XAU."""

ZERO_DECIMAL = frozenset(
    "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split()
)
THREE_DECIMAL = frozenset("BHD IQD JOD KWD LYD OMR TND".split())
FOUR_DECIMAL = frozenset("CLF UYW".split())
TWO_DECIMAL = frozenset(
    """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD
    BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD
    EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS
    INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK
    MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK
    PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN
    SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST
    XCD XCG YER ZAR ZMW ZWG
    """.split()
)

EXPONENTS = {
    **{code: 2 for code in TWO_DECIMAL},
    **{code: 0 for code in ZERO_DECIMAL},
    **{code: 3 for code in THREE_DECIMAL},
    **{code: 4 for code in FOUR_DECIMAL},
}

# Symbols people expect to see on an invoice; every other currency is shown by its code.
SYMBOLS = {
    "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥", "INR": "₹",
    "KRW": "₩", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "CHF": "CHF ", "BRL": "R$",
    "MXN": "MX$", "ILS": "₪", "VND": "₫", "PHP": "₱", "NGN": "₦", "UAH": "₴",
}
