"""Names on the public verification page keep only their first and last character."""
import pytest

from services.masking import mask_name


@pytest.mark.parametrize(("name", "masked"), [
    ("张三明", "张*明"),
    ("欧阳文华", "欧**华"),
    ("张三", "张*"),
    ("张", "张"),
    ("阿卜杜·热合曼", "阿*****曼"),
    ("John Smith", "J********h"),
    ("Li", "L*"),
    ("  王小二  ", "王*二"),
    ("", ""),
])
def test_the_first_and_last_characters_stay_and_the_rest_is_starred(name, masked):
    assert mask_name(name) == masked


def test_the_masked_name_keeps_the_length_but_not_the_middle():
    masked = mask_name("欧阳文华")
    assert len(masked) == 4
    assert "阳" not in masked and "文" not in masked


def test_none_is_treated_as_no_name():
    assert mask_name(None) == ""
