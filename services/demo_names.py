"""Fictional Chinese names for demo and synthetic data: people, universities, colleges.

Names are drawn at random from common surnames and given-name characters, so they
read as real names without belonging to any particular real person; university
names pair rare characters that no real university uses.
"""
import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "慕容")
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲芬燕彬鹏辉宇浩晨欣怡雨涵子梓轩"
    "博文思佳嘉一诗琪睿泽航宁悦瑶婷雪晓俊鑫凯昊天铭晗然萱楠彤妍阳帆宏志海林健翔斌成康毅恒乐安"
    "可馨曦诺依若清远立新东"
)

#: first and second characters of fictional university names
UNIVERSITY_HEADS = "澜沄岚翊溱珩璟湄汐霁朔濯芷峤澈"
UNIVERSITY_TAILS = "川屿州原陵溪湾岭泽城"
UNIVERSITY_KINDS = (
    "大学", "理工大学", "师范大学", "医科大学", "财经大学", "农林大学", "工业大学", "科技大学",
    "师范学院", "工程学院", "外国语大学", "政法大学",
)

#: college names and the majors whose classes they hold
COLLEGES = (
    ("心理学院", ("心理学", "应用心理学")),
    ("教育学院", ("教育学", "学前教育", "小学教育")),
    ("计算机科学与技术学院", ("计算机科学与技术", "软件工程", "人工智能")),
    ("外国语学院", ("英语", "日语", "翻译")),
    ("机械工程学院", ("机械设计制造及其自动化", "车辆工程")),
    ("电气与自动化学院", ("电气工程及其自动化", "自动化")),
    ("经济与管理学院", ("经济学", "工商管理", "会计学")),
    ("文学院", ("汉语言文学", "新闻学")),
    ("历史文化学院", ("历史学", "文物与博物馆学")),
    ("数学与统计学院", ("数学与应用数学", "统计学")),
    ("物理与电子工程学院", ("物理学", "电子信息工程")),
    ("化学与材料学院", ("化学", "材料科学与工程")),
    ("生命科学学院", ("生物科学", "生物技术")),
    ("医学院", ("临床医学", "护理学")),
    ("药学院", ("药学", "中药学")),
    ("法学院", ("法学", "知识产权")),
    ("马克思主义学院", ("思想政治教育",)),
    ("土木与建筑学院", ("土木工程", "建筑学")),
    ("环境与资源学院", ("环境工程", "资源勘查工程")),
    ("艺术学院", ("美术学", "音乐学", "视觉传达设计")),
    ("体育学院", ("体育教育", "社会体育指导与管理")),
    ("农学院", ("农学", "园艺")),
    ("食品科学学院", ("食品科学与工程",)),
    ("信息与通信工程学院", ("通信工程", "物联网工程")),
    ("公共管理学院", ("行政管理", "社会工作")),
    ("旅游与地理学院", ("旅游管理", "地理科学")),
    ("海洋学院", ("海洋科学",)),
    ("能源与动力工程学院", ("能源与动力工程",)),
    ("交通运输学院", ("交通运输", "物流管理")),
    ("国际教育学院", ("汉语国际教育",)),
    ("航空航天学院", ("飞行器设计与工程",)),
    ("纺织服装学院", ("服装设计与工程",)),
    ("新闻传播学院", ("广告学", "网络与新媒体")),
    ("金融学院", ("金融学", "保险学")),
    ("统计与数据科学学院", ("数据科学与大数据技术",)),
    ("城乡规划学院", ("城乡规划", "风景园林")),
    ("护理学院", ("护理学", "助产学")),
    ("公共卫生学院", ("预防医学",)),
    ("软件学院", ("软件工程", "数字媒体技术")),
    ("人文与社会科学学院", ("社会学", "哲学")),
)

#: dormitory areas, for room names like 东区3栋-512
AREAS = ("东区", "西区", "南区", "北区")


def person_name(rng: random.Random) -> str:
    """A plausible two- to four-character name that is nobody in particular."""
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return surname + given


def university_names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct fictional university names."""
    combos = [h + t + k for h in UNIVERSITY_HEADS for t in UNIVERSITY_TAILS for k in UNIVERSITY_KINDS]
    if count <= len(combos):
        return rng.sample(combos, count)
    return [f"{rng.choice(combos)}（{n}）" for n in range(1, count + 1)]


def college_choices(count: int, rng: random.Random) -> list[tuple[str, tuple[str, ...]]]:
    """`count` colleges for one university, distinct while the list lasts."""
    picked = rng.sample(COLLEGES, min(count, len(COLLEGES)))
    for n in range(count - len(picked)):
        name, majors = COLLEGES[n % len(COLLEGES)]
        picked.append((f"{name}（{n // len(COLLEGES) + 2}）", majors))
    return picked


def building_name(index: int) -> str:
    """东区1栋, 西区1栋, …: the `index`-th building of a university."""
    return f"{AREAS[index % len(AREAS)]}{index // len(AREAS) + 1}栋"


def room_name(building_index: int, room_index: int, per_floor: int = 40) -> str:
    """东区3栋-512: floor and room number inside a building."""
    floor, room = divmod(room_index, per_floor)
    return f"{building_name(building_index)}-{floor + 1}{room + 1:02d}"
