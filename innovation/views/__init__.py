"""The innovation app's public pages, one module per area: achievements on 技术英才网 (INN-4, INN-5) and
rationalisation proposals — submitting, 我的建议, the disclosure board (INN-2)."""
