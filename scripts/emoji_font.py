"""Write documents/fonts/Symbola-Emoji.ttf: the emoji and symbols of Symbola 2.60
(Debian's fonts-symbola package) that DejaVu Sans lacks, without hinting, so that
PDFs print emoji from a vendored file of under 1 MB.

    python -m scripts.emoji_font /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "documents" / "fonts"
TARGET = FONTS / "Symbola-Emoji.ttf"
# Emoji, pictographs, dingbats, arrows and shapes (the PDF drops the invisible joiners and selectors).
RANGES = [(0x1F000, 0x1F2FF), (0x1F300, 0x1F6FF), (0x1F900, 0x1F9FF), (0x2600, 0x27BF), (0x2300, 0x23FF),
          (0x2B00, 0x2BFF), (0x2190, 0x21FF), (0x25A0, 0x25FF), (0x2100, 0x214F), (0x3030, 0x303D),
          (0x3297, 0x3299), (0x20E3, 0x20E3)]


def main(source: str) -> None:
    dejavu = [set(TTFont(FONTS / name).getBestCmap()) for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")]
    covered = set.intersection(*dejavu)
    font = TTFont(source)
    wanted = [code for code in font.getBestCmap()
              if code not in covered and any(low <= code <= high for low, high in RANGES)]
    options = subset.Options(hinting=False, notdef_outline=True, name_IDs=["*"], name_languages=["*"])
    options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    font.save(TARGET)
    print(f"{TARGET}: {len(wanted)} characters, {TARGET.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
