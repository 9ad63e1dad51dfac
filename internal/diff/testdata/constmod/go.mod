module example.com/constmod

go 1.24
