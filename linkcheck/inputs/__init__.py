"""Reading articles: files, directories, stdin, published pages by URL; dates users give."""
