"""Theme files: bundled ones load and apply; bad files are skipped with a clear warning."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color

from tui.paths import bundled
from tui.themes import load_themes, theme_dirs

BUNDLED = ("talks-dark", "talks-light", "talks-contrast")


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio."""

    def lum(colour: str) -> float:
        def channel(c: int) -> float:
            c_ = c / 255
            return c_ / 12.92 if c_ <= 0.03928 else ((c_ + 0.055) / 1.055) ** 2.4

        r, g, b_ = Color.parse(colour).rgb
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b_)

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _problems(warnings: list[str]) -> list[str]:
    """The warnings other than low contrast (minimal test themes have some)."""
    return [w for w in warnings if "hard to read" not in w]


def test_theme_dirs_are_bundled_then_user() -> None:
    user = Path(os.environ["XDG_CONFIG_HOME"]) / "talks-tui" / "themes"
    assert theme_dirs() == [bundled("themes"), user]


def test_bundled_themes_load_without_warnings() -> None:
    themes, warnings = load_themes()
    assert warnings == []
    assert {t.name for t in themes} >= set(BUNDLED)


@pytest.mark.parametrize("name", BUNDLED)
async def test_bundled_theme_registers_and_applies(name: str) -> None:
    theme = {t.name: t for t in load_themes([bundled("themes")])[0]}[name]
    app = App()
    async with app.run_test(size=(40, 10)) as pilot:
        app.register_theme(theme)
        app.theme = name
        await pilot.pause()
        assert app.theme == name
        assert app.current_theme.accent == theme.accent


@pytest.mark.parametrize("name", BUNDLED)
def test_accent_stands_out(name: str) -> None:
    theme = {t.name: t for t in load_themes([bundled("themes")])[0]}[name]
    assert theme.accent and theme.background and theme.foreground
    minimum = 7.0 if name == "talks-contrast" else 4.5
    assert _contrast(theme.accent, theme.background) >= minimum
    assert _contrast(theme.foreground, theme.background) >= minimum
    # hits must differ from body text by colour (saturated vs near-grey) or by brightness
    accent, text = Color.parse(theme.accent).hsl, Color.parse(theme.foreground).hsl
    assert accent.s - text.s >= 0.4 or _contrast(theme.accent, theme.foreground) >= 2


def test_contrast_theme_is_black_and_white() -> None:
    theme = {t.name: t for t in load_themes([bundled("themes")])[0]}["talks-contrast"]
    assert Color.parse(theme.background or "") == Color(0, 0, 0)
    assert Color.parse(theme.foreground or "") == Color(255, 255, 255)
    assert _contrast(theme.accent or "", theme.foreground or "") >= 2


def test_bad_colour_file_is_skipped_with_warning_naming_it(tmp_path: Path) -> None:
    _write(tmp_path, "good.yaml", 'name: good\nprimary: "#336699"\n')
    bad = _write(tmp_path, "bad.yaml", 'name: bad\nprimary: "#336699"\naccent: "not-a-colour"\n')
    themes, warnings = load_themes([tmp_path])
    warnings = _problems(warnings)
    assert [t.name for t in themes] == ["good"]
    assert len(warnings) == 1
    assert str(bad) in warnings[0] and "accent" in warnings[0]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: x\n\tprimary: y\n", "line 2"),
        ("- just\n- a list\n", "mapping"),
        ('primary: "#336699"\n', "name"),
        ("name: x\n", "primary"),
        ("name: x\nprimary: #336699\n", "quote"),  # unquoted: a YAML comment
        ('name: x\nprimary: "#336699"\ndark: maybe\n', "dark"),
        ('name: "[b]x[/b]"\nprimary: "#336699"\n', "name"),
        ('name: x\nprimary: "#336699"\nvariables: {block-cursor-background: nope}\n', "nope"),
        ('name: x\nprimary: "#336699"\nvariables: {link-style: "bold; }"}\n', "link-style"),
        ('name: x\nprimary: "#336699"\ntext_alpha: 3\n', "text_alpha"),
    ],
)
def test_bad_files_are_skipped(tmp_path: Path, text: str, problem: str) -> None:
    path = _write(tmp_path, "t.yaml", text)
    themes, warnings = load_themes([tmp_path])
    assert themes == []
    assert len(warnings) == 1
    assert str(path) in warnings[0] and problem in warnings[0]


def test_valid_variables_and_optional_keys_load(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "v.yaml",
        'name: v\nprimary: "hsl(210, 60%, 65%)"\ndark: false\ntext_alpha: 1\n'
        'variables:\n  input-selection-background: "#81a1c1 35%"\n'
        '  button-focus-text-style: "b reverse"\n  footer-key-foreground: orange\n',
    )
    themes, warnings = load_themes([tmp_path])
    assert _problems(warnings) == []
    (theme,) = themes
    assert theme.dark is False and theme.text_alpha == 1.0
    assert theme.variables["button-focus-text-style"] == "b reverse"


def test_unknown_key_warns_but_theme_loads(tmp_path: Path) -> None:
    _write(tmp_path, "t.yaml", 'name: t\nprimary: "#336699"\nacent: "#ff0000"\n')
    themes, warnings = load_themes([tmp_path])
    warnings = _problems(warnings)
    assert [t.name for t in themes] == ["t"]
    assert len(warnings) == 1 and "acent" in warnings[0]


def test_user_theme_overrides_bundled(tmp_path: Path) -> None:
    user = Path(os.environ["XDG_CONFIG_HOME"]) / "talks-tui" / "themes"
    _write(user, "mine.yaml", 'name: talks-dark\nprimary: "#ff00ff"\naccent: "#00ff00"\n')
    themes, warnings = load_themes()
    assert _problems(warnings) == []
    by_name = {t.name: t for t in themes}
    assert by_name["talks-dark"].accent == "#00ff00"
    assert [t.name for t in themes].count("talks-dark") == 1


def test_missing_folders_are_fine(tmp_path: Path) -> None:
    assert load_themes([tmp_path / "none"]) == ([], [])
