"""Chinese for the strings added or changed by the web hardening (issue 6, items 5, 12, 13, 15)."""
ZH = {
    "The address contains a NUL character.": "网址中含有空字符（NUL），无法处理。",
    "Courseware must be an MP4 or WebM video, or a PDF or EPUB e-book; this file is none of them.":
        "课件只能是 MP4、WebM 格式的视频或 PDF、EPUB 格式的电子书，此文件不属于其中任何一种。",
    "A video must be an MP4 or WebM file.": "视频课件须为 MP4 或 WebM 格式的文件。",
    "An e-book must be a PDF or EPUB file.": "电子书课件须为 PDF 或 EPUB 格式的文件。",
}
