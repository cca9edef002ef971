"""Mở Đường: nền tảng cho cơ quan thông tin, tuyên truyền và xuất bản."""

__version__ = "0.1.0"
